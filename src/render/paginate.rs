//! Splits a list of pages into pager pages (`/news/`, `/news/page/2/`, …).
//!
//! Each pager page gets only its own slice of page values, so paginating
//! a term of 5,000 pages costs O(pages) in total, not O(pages²).

use tera::Value;

use super::context::Versioned;
use crate::content::Site;

/// One pager page of a paginated list.
pub struct Paginator<'a> {
    /// URL path of the first pager page (the section or term itself).
    pub base_path: &'a str,
    /// Pages per pager page.
    pub paginate_by: usize,
    /// 0-based index of this pager page.
    pub pager: usize,
    /// The whole list, as indices into the site's pages.
    pub items: &'a [usize],
}

impl Paginator<'_> {
    /// How many pager pages a list of `len` items needs (1 when empty, or
    /// when the list is not paginated).
    pub fn count(len: usize, paginate_by: Option<usize>) -> usize {
        match paginate_by {
            Some(by) if by > 0 => len.div_ceil(by).max(1),
            _ => 1,
        }
    }

    /// How many pager pages this list has.
    pub fn count_pagers(&self) -> usize {
        Paginator::count(self.items.len(), Some(self.paginate_by))
    }

    /// URL path of the 0-based pager page `index`.
    pub fn path(&self, index: usize) -> String {
        if index == 0 {
            self.base_path.to_string()
        } else {
            self.path_unchecked(index)
        }
    }

    /// URL path `<base>page/<index + 1>/`, also for the first page (which
    /// only serves as a redirect to the base).
    pub fn path_unchecked(&self, index: usize) -> String {
        format!("{}page/{}/", self.base_path, index + 1)
    }

    /// The items on this pager page.
    pub fn page_items(&self) -> &[usize] {
        let start = (self.pager * self.paginate_by).min(self.items.len());
        let end = (start + self.paginate_by).min(self.items.len());
        &self.items[start..end]
    }

    /// The `paginator` template value.
    pub fn value(&self, site: &Site, page_values: &[Versioned]) -> Value {
        let count = self.count_pagers();
        let pages: Vec<Value> = self
            .page_items()
            .iter()
            .map(|&i| page_values[i].value.clone())
            .collect();
        let link = |index: usize| Value::from(site.config.permalink(&self.path(index)));
        let mut map = tera::Map::new();
        map.insert("pages".into(), Value::from(pages));
        map.insert("current_index".into(), Value::from(self.pager + 1));
        map.insert("number_pagers".into(), Value::from(count));
        map.insert("paginate_by".into(), Value::from(self.paginate_by));
        map.insert("total_pages".into(), Value::from(self.items.len()));
        map.insert("first".into(), link(0));
        map.insert("last".into(), link(count - 1));
        map.insert(
            "previous".into(),
            if self.pager > 0 {
                link(self.pager - 1)
            } else {
                Value::none()
            },
        );
        map.insert(
            "next".into(),
            if self.pager + 1 < count {
                link(self.pager + 1)
            } else {
                Value::none()
            },
        );
        Value::from(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_count_rounds_up_and_is_never_zero() {
        assert_eq!(Paginator::count(0, Some(5)), 1);
        assert_eq!(Paginator::count(10, Some(5)), 2);
        assert_eq!(Paginator::count(11, Some(5)), 3);
        assert_eq!(Paginator::count(11, None), 1);
    }

    #[test]
    fn first_pager_lives_at_the_base_path() {
        let items = [0, 1, 2];
        let p = Paginator {
            base_path: "/news/",
            paginate_by: 2,
            pager: 0,
            items: &items,
        };
        assert_eq!(p.path(0), "/news/");
        assert_eq!(p.path(1), "/news/page/2/");
        assert_eq!(p.path_unchecked(0), "/news/page/1/");
    }
}
