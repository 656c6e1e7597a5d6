//! Gazette's integration test suite: one binary, one module per feature.
//!
//! Each test copies a fixture site from `tests/fixtures/` into a temporary
//! folder and builds it with the real `gazette` binary (see `helpers.rs`
//! and `README.md`).

mod helpers;

mod bilingual;
mod chinese_text;
mod drafts;
mod errors;
mod highlighting;
mod incremental;
mod markdown;
mod output;
mod sample_site;
#[cfg(feature = "serve")]
mod serve;
#[cfg(feature = "serve")]
mod served;
mod urls;
