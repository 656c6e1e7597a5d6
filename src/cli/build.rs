//! `gazette build`: one full build, then a one-line summary.

use std::path::PathBuf;

use clap::Args;
use gazette::{BuildOptions, build};

/// Arguments of `gazette build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder, which holds config.toml.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site [default: <root>/public].
    #[arg(long)]
    output: Option<PathBuf>,
    /// Replace the config's base_url (e.g. for a staging host).
    #[arg(long)]
    base_url: Option<String>,
    /// Include drafts and pages dated in the future.
    #[arg(long)]
    drafts: bool,
}

impl BuildArgs {
    fn options(self) -> BuildOptions {
        let mut options = BuildOptions::new(&self.root);
        if let Some(output) = self.output {
            options.output_dir = output;
        }
        options.base_url = self.base_url;
        options.include_drafts = self.drafts;
        options
    }

    /// Builds the site and prints what was built.
    pub fn run(self) -> anyhow::Result<()> {
        let options = self.options();
        let report = build(&options)?;
        for warning in &report.warnings {
            eprintln!("warning: {warning}");
        }
        let per_language: Vec<String> = report
            .pages_per_language
            .iter()
            .map(|(lang, n)| format!("{lang} {n}"))
            .collect();
        println!(
            "Built {} pages ({}), {} sections, {} terms in {} ms → {} ({} written, {} unchanged, {} removed)",
            report
                .pages_per_language
                .iter()
                .map(|(_, n)| n)
                .sum::<usize>(),
            per_language.join(", "),
            report.sections,
            report.terms,
            report.elapsed.as_millis(),
            options
                .output_dir
                .strip_prefix(".")
                .unwrap_or(&options.output_dir)
                .display(),
            report.write.written,
            report.write.unchanged,
            report.write.removed,
        );
        Ok(())
    }
}
