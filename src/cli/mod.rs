//! Command-line interface: one file per subcommand, each with its
//! arguments struct and `run()`.

mod build;
#[cfg(feature = "serve")]
mod serve;

use clap::{Parser, Subcommand};

/// Gazette: bilingual campaign sites from Markdown.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(build::BuildArgs),
    /// Build into memory, serve on http://127.0.0.1:1111 and rebuild on
    /// every save, reloading open pages.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
}

impl Cli {
    /// Runs the chosen subcommand.
    pub fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Build(args) => args.run(),
            #[cfg(feature = "serve")]
            Command::Serve(args) => args.run(),
        }
    }
}
