//! Fixture sites in temporary folders, and the tandem binary run against them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

pub const SITE_TOML: &str = "title = \"Fixture\"\nbase_url = \"https://example.org\"\n";

impl Fixture {
    /// A small valid site: home, a section with two guides linking each other.
    pub fn new() -> Fixture {
        let f = Fixture::empty();
        f.write("site.toml", SITE_TOML);
        f.write("content/_index.md", "---\ntitle: Home\n---\nWelcome to [the first guide](guides/one.md).\n");
        f.write("content/guides/_index.md", "---\ntitle: Guides\ndescription: All of them\n---\n");
        f.write(
            "content/guides/one.md",
            "---\ntitle: One\nweight: 1\ntags: [basics]\n---\n## Start here\n\nThen read [two](two.md#the-end).\n",
        );
        f.write(
            "content/guides/two.md",
            "---\ntitle: Two\nweight: 2\naliases: [/old-two/]\n---\n## The end\n\nBack to [one](one.md#start-here).\n",
        );
        f
    }

    pub fn empty() -> Fixture {
        Fixture { dir: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn tandem(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_tandem"))
            .args(args)
            .arg("--root")
            .arg(self.dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        Run::from(out)
    }

    pub fn build(&self) -> Run {
        self.tandem(&["build"])
    }

    /// Every file under `rel` with its bytes, to prove an output folder did not change.
    pub fn snapshot(&self, rel: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(&self.path(rel))
    }
}

pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}
