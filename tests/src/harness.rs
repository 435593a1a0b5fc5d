//! For an integration test file that starts its own binary as the child process under
//! test (`harness = false` in its `[[test]]`): the crate under test needs no extra binary
//! target (a library's binaries would be installed with it), and the child's stdout
//! holds only what the child prints (libtest would print its own lines on it, hence this
//! small runner in libtest's format).
//!
//! ```ignore
//! fn main() -> std::process::ExitCode {
//!     jwt_guard_tests::harness::main(|_role| service(), jwt_guard_tests::tests![starts, refuses])
//! }
//! ```

use std::panic;
use std::process::{Command, ExitCode};
use std::time::Instant;

/// The first argument of a child: never one cargo or libtest passes.
const CHILD: &str = "--jwt-guard-child";

/// A test: its name and its function.
pub type Test = (&'static str, fn());

/// `tests![a, b]`: the [`Test`]s of functions `a` and `b`, named after them.
#[macro_export]
macro_rules! tests {
    ($($test:ident),* $(,)?) => {
        &[$((stringify!($test), $test as fn())),*]
    };
}

/// A command that starts this test binary as the child `role`: its [`main`] hands
/// `role` to the `child` function instead of running tests.
pub fn child(role: &str) -> Command {
    let exe = std::env::current_exe().unwrap();
    let mut command = Command::new(exe);
    command.args([CHILD, role]);
    command
}

/// The `main` of a `harness = false` test file. Started by [`child`], it runs
/// `child(role)` and exits; started by `cargo test`, it runs the `tests` the command line
/// selects (name filters, `--exact`, `--skip`, `--list`), one after the other.
pub fn main(child: fn(&str), tests: &[Test]) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, role] = args.as_slice()
        && flag == CHILD
    {
        child(role);
        return ExitCode::SUCCESS;
    }
    run(&Selection::parse(&args), tests)
}

/// What the command line asks for.
#[derive(Debug, Default)]
struct Selection {
    filters: Vec<String>,
    skips: Vec<String>,
    exact: bool,
    list: bool,
    /// `--ignored`: only ignored tests, and none is.
    ignored_only: bool,
}

impl Selection {
    fn parse(args: &[String]) -> Self {
        let mut selection = Selection::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--exact" => selection.exact = true,
                "--list" => selection.list = true,
                "--ignored" => selection.ignored_only = true,
                "--skip" => selection.skips.extend(args.next().cloned()),
                // Options with a value that does not change which tests run.
                "--test-threads" | "--format" | "--color" | "--logfile" | "--shuffle-seed"
                | "-Z" => {
                    args.next();
                }
                flag if flag.starts_with('-') => {} // --nocapture, --quiet, --include-ignored...
                filter => selection.filters.push(filter.to_owned()),
            }
        }
        selection
    }

    fn matches(&self, pattern: &str, name: &str) -> bool {
        if self.exact {
            name == pattern
        } else {
            name.contains(pattern)
        }
    }

    fn selects(&self, name: &str) -> bool {
        !self.ignored_only
            && (self.filters.is_empty() || self.filters.iter().any(|f| self.matches(f, name)))
            && !self.skips.iter().any(|skip| self.matches(skip, name))
    }
}

fn run(selection: &Selection, tests: &[Test]) -> ExitCode {
    let selected: Vec<&Test> = tests
        .iter()
        .filter(|(name, _)| selection.selects(name))
        .collect();
    if selection.list {
        for (name, _) in &selected {
            println!("{name}: test");
        }
        return ExitCode::SUCCESS;
    }
    let plural = if selected.len() == 1 { "" } else { "s" };
    println!("\nrunning {} test{plural}", selected.len());
    let start = Instant::now();
    let mut failed = Vec::new();
    for (name, test) in &selected {
        // The default panic hook prints the message on stderr, as under libtest.
        let passed = panic::catch_unwind(test).is_ok();
        println!("test {name} ... {}", if passed { "ok" } else { "FAILED" });
        if !passed {
            failed.push(*name);
        }
    }
    if !failed.is_empty() {
        println!("\nfailures:");
        for name in &failed {
            println!("    {name}");
        }
    }
    println!(
        "\ntest result: {}. {} passed; {} failed; 0 ignored; 0 measured; {} filtered out; finished in {:.2}s\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        selected.len() - failed.len(),
        failed.len(),
        tests.len() - selected.len(),
        start.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(101)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selected(args: &[&str]) -> Vec<&'static str> {
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        let selection = Selection::parse(&args);
        ["starts", "refuses_weak", "refuses_missing"]
            .into_iter()
            .filter(|name| selection.selects(name))
            .collect()
    }

    #[test]
    fn the_command_line_selects_as_libtest_does() {
        let all = ["starts", "refuses_weak", "refuses_missing"];
        assert_eq!(selected(&[]), all);
        assert_eq!(selected(&["--nocapture", "--test-threads", "2"]), all);
        assert_eq!(selected(&["refuses"]), ["refuses_weak", "refuses_missing"]);
        assert_eq!(selected(&["--exact", "refuses"]), Vec::<&str>::new());
        assert_eq!(
            selected(&["refuses", "--skip", "weak"]),
            ["refuses_missing"]
        );
        assert_eq!(selected(&["--ignored"]), Vec::<&str>::new());
    }
}
