//! The `gazette` binary: parses the command line, runs the subcommand, and
//! reports any error once, mapping it to exit code 2.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match args.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report(&error);
            ExitCode::from(2)
        }
    }
}

/// Prints each error once, on its own `error:` line, then how many there
/// were and that the output was not touched.
fn report(error: &anyhow::Error) {
    match error.downcast_ref::<gazette::Error>() {
        Some(gazette::Error::Many(errors)) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            eprintln!("{} errors; nothing was written", errors.len());
        }
        Some(_) => eprintln!("error: {error:#}\nnothing was written"),
        None => eprintln!("error: {error:#}"),
    }
}
