//! Fixture repositories for the git tests, built with the `git` command (the product
//! reads them with gix; only the fixtures use git). Each commit gets its own fixed date,
//! so the order of commits is known.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// A repository in a temporary directory.
pub(crate) struct Repo {
    pub(crate) tmp: tempfile::TempDir,
    pub(crate) dir: PathBuf,
    clock: u64,
}

/// `git` with no user or system configuration, a fixed identity and `main` as default.
pub(crate) fn git_command(dir: &Path, home: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args([
            "-c",
            "user.name=Fixture",
            "-c",
            "user.email=fixture@example.invalid",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            "-c",
            "protocol.file.allow=always",
            "-c",
            "gc.auto=0",
        ]);
    command
}

impl Repo {
    pub(crate) fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("repo");
        std::fs::create_dir(&dir).unwrap();
        let repo = Repo {
            tmp,
            dir,
            clock: 1_700_000_000,
        };
        repo.git(&["init", "-q"]);
        repo
    }

    pub(crate) fn home(&self) -> PathBuf {
        self.tmp.path().to_path_buf()
    }

    /// Runs git in the repository; panics when it fails.
    pub(crate) fn git(&self, args: &[&str]) -> String {
        let output = self.git_output(args);
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    pub(crate) fn git_output(&self, args: &[&str]) -> Output {
        git_command(&self.dir, &self.home())
            .args(args)
            .output()
            .unwrap()
    }

    pub(crate) fn write(&self, path: &str, content: impl AsRef<[u8]>) {
        let path = self.dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    pub(crate) fn remove(&self, path: &str) {
        self.git(&["rm", "-q", "-r", path]);
    }

    /// Stages everything and commits with the next date; returns the commit id.
    pub(crate) fn commit(&mut self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.commit_staged(message)
    }

    pub(crate) fn commit_staged(&mut self, message: &str) -> String {
        self.dated(&["commit", "-q", "--allow-empty", "-m", message])
    }

    /// A merge of `branch` into the current branch, always a merge commit.
    pub(crate) fn merge(&mut self, branch: &str) -> String {
        self.dated(&["merge", "-q", "--no-ff", "-m", "merge", branch])
    }

    /// Runs `git ARGS`, which makes a commit, with the next date; returns the commit id.
    fn dated(&mut self, args: &[&str]) -> String {
        self.clock += 3600;
        let date = format!("@{} +0000", self.clock);
        let output = git_command(&self.dir, &self.home())
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        self.git(&["rev-parse", "HEAD"])
    }

    /// `git clone ARGS SOURCE TARGET` beside this repository; returns TARGET.
    pub(crate) fn clone_to(&self, name: &str, args: &[&str]) -> PathBuf {
        let target = self.tmp.path().join(name);
        let source = format!("file://{}", self.dir.display());
        let output = git_command(self.tmp.path(), &self.home())
            .arg("clone")
            .arg("-q")
            .args(args)
            .arg(&source)
            .arg(&target)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        target
    }
}

/// `jwt-guard ARGS` in `dir` with only PATH (and `vars`) in its environment, killed
/// after `limit`.
pub(crate) fn jwt_guard_env(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    crate::support::jwt_guard_with(dir, args, vars, Duration::from_secs(60))
}
