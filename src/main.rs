//! The command line: parses arguments and hands over to the library.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use tandem::build;
use tandem::diagnostic::Report;

mod allocator;

#[global_allocator]
static ALLOCATOR: allocator::PerCommand = allocator::PerCommand::new();

#[derive(Parser)]
#[command(
    name = "tandem",
    version,
    about = "Build guide sites that teach and test",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or [build] output_dir)
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site (default: [build] output_dir, or public/)
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// The published site's address, for the feed, the sitemap and links
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include pages with `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Run every validation of `build` and write nothing
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Check drafts too
        #[arg(long)]
        drafts: bool,
        /// Also list, per guide, the h2/h3 sections that no quiz question `tests`
        #[arg(long)]
        coverage: bool,
    },
    /// Serve the site from memory; with --watch, rebuild on every change and reload open pages
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Rebuild when content/, templates/, themes/, static/ or site.toml change, and reload open pages
        #[arg(long)]
        watch: bool,
        /// Look for changes by scanning, for file systems that report none (network or VM mounts)
        #[arg(long, requires = "watch")]
        poll: bool,
        /// The port to listen on (default: 1111, or the next free one)
        #[arg(long, value_name = "N")]
        port: Option<u16>,
        /// The address to listen on; any but a loopback one lets other machines in
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1", value_parser = parse_bind)]
        bind: IpAddr,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        /// Include pages with `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Also answer requests for this host name (repeatable); by default only localhost,
        /// loopback addresses and the --bind address are answered, against DNS rebinding
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_hosts: Vec<String>,
    },
    /// Create a new site in DIR that builds as it is
    Init {
        /// The folder to create (it must not exist, or be empty)
        dir: PathBuf,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Make a new site from a book written for another tool
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
}

#[derive(Subcommand)]
enum ImportFrom {
    /// An mdBook book, mdbook-quiz quizzes included; BOOK is only read
    Mdbook {
        /// The book's folder (the one with book.toml)
        book: PathBuf,
        /// The folder for the new site (it must not exist, or be empty)
        new_site: PathBuf,
        #[command(flatten)]
        site: SiteArgs,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// The site's folder (the one with site.toml)
    #[arg(long, value_name = "DIR", default_value = ".", global = true)]
    root: PathBuf,
}

/// An IP address, or `localhost`.
fn parse_bind(s: &str) -> Result<IpAddr, String> {
    if s.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::from([127, 0, 0, 1]));
    }
    s.parse().map_err(|_| format!("`{s}` is not an IP address (e.g. 127.0.0.1, ::1 or 0.0.0.0)"))
}

fn print_report(report: &Report) {
    if !report.diagnostics.is_empty() {
        eprint!("{}", report.render(std::io::stderr().is_terminal()));
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Build { .. } | Command::Check { .. } => ALLOCATOR.use_mimalloc(),
        // The dev server runs for hours and must give back what a build frees (see allocator.rs).
        Command::Serve { .. } => ALLOCATOR.use_system(),
        // Small: the allocator does not matter.
        Command::Init { .. } | Command::Import { .. } => ALLOCATOR.use_system(),
    }
    match cli.command {
        Command::Build { site, output, base_url, drafts } => {
            let opts = build::Options { root: site.root, output, base_url, drafts };
            match build::build(&opts) {
                Ok((summary, report)) => {
                    print_report(&report);
                    println!("{}", summary.line());
                    ExitCode::SUCCESS
                }
                Err(report) => {
                    print_report(&report);
                    eprintln!("build failed; the previous output was left as it was");
                    ExitCode::from(1)
                }
            }
        }
        Command::Check { site, drafts, coverage } => {
            let opts = build::Options { root: site.root, drafts, ..Default::default() };
            let report = if coverage {
                let (report, coverage) = build::check_coverage(&opts);
                if let Some(coverage) = coverage {
                    print!("{}", coverage.render());
                }
                report
            } else {
                build::check(&opts)
            };
            print_report(&report);
            if report.has_errors() {
                ExitCode::from(1)
            } else {
                println!("no errors found");
                ExitCode::SUCCESS
            }
        }
        Command::Serve { site, watch, poll, port, bind, open, drafts, allow_hosts } => {
            let opts = tandem::serve::Options {
                root: site.root,
                bind,
                port,
                watch,
                poll,
                open,
                drafts,
                allow_hosts,
            };
            match tandem::serve::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Import { from: ImportFrom::Mdbook { book, new_site, site } } => {
            let color = std::io::stderr().is_terminal();
            match tandem::import::import_mdbook(&site.root.join(book), &site.root.join(new_site)) {
                Ok(imported) => {
                    eprint!("{}", imported.render_problems(color));
                    print!("{}", imported.render_summary());
                    if imported.report.has_errors() {
                        eprintln!(
                            "the site was written, with a note in the page where each error is; see {}",
                            tandem::import::REPORT_FILE
                        );
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(d) => {
                    eprint!("{}", d.render(color));
                    eprintln!("\nnothing was written");
                    ExitCode::from(1)
                }
            }
        }
        Command::Init { dir, site } => match tandem::init::init(&site.root.join(dir)) {
            Ok(path) => {
                println!(
                    "created a new site in {}; build it with `tandem build --root {}`",
                    path.display(),
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        },
    }
}
