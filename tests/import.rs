//! `tandem import mdbook`: the fixture book under tests/fixtures/mdbook/book uses every SUMMARY
//! form, every include form, every kind of link and all three mdbook-quiz question types. Its
//! import is snapshotted file by file, then built and checked with tandem itself.

mod common;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Run, snapshot};

fn fixture_book() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mdbook/book")
}

fn tandem(args: &[&str], dir: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A checksum of every path and byte under `dir`.
fn checksum(dir: &Path) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (path, bytes) in snapshot(dir) {
        path.hash(&mut h);
        bytes.hash(&mut h);
    }
    h.finish()
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file of the site, one after another, as one text to snapshot.
fn site_text(site: &Path) -> String {
    let files: BTreeMap<PathBuf, Vec<u8>> = snapshot(site);
    let mut out = String::new();
    for (path, bytes) in files {
        out.push_str(&format!("=== {}\n{}\n", path.display(), String::from_utf8_lossy(&bytes)));
    }
    out
}

#[test]
fn the_fixture_book_imports_builds_and_checks() {
    let book = fixture_book();
    let before = checksum(&book);
    let tmp = tempfile::tempdir().unwrap();
    let run = tandem(&["import", "mdbook", book.to_str().unwrap(), "site"], tmp.path());
    assert_eq!(run.code, 0, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert_eq!(checksum(&book), before, "the import wrote into the book");

    let site = tmp.path().join("site");
    insta::assert_snapshot!("report_stdout", run.stdout);
    insta::assert_snapshot!("report_stderr", run.stderr);
    insta::assert_snapshot!("site", site_text(&site));

    let check = tandem(&["check", "--root", "site"], tmp.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(check.stderr, "", "no warnings either: every converted quiz is clean");
    let build = tandem(&["build", "--root", "site"], tmp.path());
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stdout.contains("built 14 pages and 2 quizzes"), "{}", build.stdout);
    assert_eq!(checksum(&book), before, "the build wrote into the book");

    let public = site.join("public");
    let read = |rel: &str| std::fs::read_to_string(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    // Reading order follows SUMMARY.md, nested chapters included.
    let hello = read("getting-started/ch01-01-hello/index.html");
    assert!(hello.contains(r#"rel="prev" href="/getting-started/ch01-00-installation/""#), "{hello}");
    assert!(hello.contains(r#"rel="next" href="/getting-started/ch01-02-details/""#), "{hello}");
    // The quiz is embedded where the directive stood, and is a page of its own.
    assert!(hello.contains(r#"data-quiz="ch01""#), "{hello}");
    assert!(read("quizzes/ch01/index.html").contains(r#"data-quiz="ch01""#));
    // mdBook's heading ids are kept, so links written for the book still land.
    let details = read("getting-started/ch01-02-details/index.html");
    assert!(details.contains(r#"<h2 id="using-boxt--friends">"#), "{details}");
    assert!(details.contains(r#"<h2 id="using-boxt--friends-1">"#), "{details}");
    let install = read("getting-started/ch01-00-installation/index.html");
    assert!(install.contains(r#"href="/getting-started/ch01-02-details/#using-boxt--friends""#), "{install}");
    // Images resolve from the page's URL to the copied file.
    assert!(install.contains(r#"src="../../img/ferris.svg""#), "{install}");
    assert!(public.join("img/ferris.svg").is_file());
    assert!(public.join("files/data.csv").is_file());
    // Text that tandem would take for a shortcode reads as the book wrote it.
    let contributors = read("going-further/contributors/index.html");
    assert!(contributors.contains("writes {{ name(arg) }} and {% end %}"), "{contributors}");
    assert!(contributors.contains("<code>{{ name(arg) }}</code>"), "{contributors}");
}

#[test]
fn a_new_site_folder_that_is_not_empty_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("site")).unwrap();
    std::fs::write(tmp.path().join("site/keep.txt"), "mine").unwrap();
    let run = tandem(&["import", "mdbook", fixture_book().to_str().unwrap(), "site"], tmp.path());
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("already exists and is not empty"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(tmp.path().join("site")).unwrap().count(), 1);
    assert_eq!(std::fs::read_to_string(tmp.path().join("site/keep.txt")).unwrap(), "mine");
    // An empty folder is fine.
    std::fs::remove_file(tmp.path().join("site/keep.txt")).unwrap();
    let run = tandem(&["import", "mdbook", fixture_book().to_str().unwrap(), "site"], tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(tmp.path().join("site/site.toml").is_file());
}

#[test]
fn a_new_site_inside_the_book_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    copy_dir(&fixture_book(), &book);
    let before = checksum(&book);
    let run = tandem(&["import", "mdbook", "book", "book/src/new-site"], tmp.path());
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("the new site's folder is inside the book"), "{}", run.stderr);
    assert_eq!(checksum(&book), before);
}

#[test]
fn includes_outside_the_book_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    copy_dir(&fixture_book(), &book);
    std::fs::write(tmp.path().join("secret.txt"), "TOP SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.path().join("secret.txt"), book.join("code/link.txt")).unwrap();
    let chapter = book.join("src/foreword.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!(
            "{text}\n```text\n{{{{#include ../../secret.txt}}}}\n```\n\n{{{{#include ../code/link.txt}}}}\n"
        ),
    )
    .unwrap();
    let before = checksum(&book);
    let run = tandem(&["import", "mdbook", "book", "site"], tmp.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(checksum(&book), before);
    let site = site_text(&tmp.path().join("site"));
    assert!(!site.contains("TOP SECRET"), "a file outside the book was read:\n{site}");
    let line = text.lines().count() + 3;
    assert!(
        run.stderr.contains(&format!("src/foreword.md:{line}:1")) && run.stderr.contains("outside the book"),
        "{}",
        run.stderr
    );
    #[cfg(unix)]
    assert!(run.stderr.contains(&format!("src/foreword.md:{}:1", line + 3)), "{}", run.stderr);
    assert!(site.contains("[tandem import: include outside the book left out: ../../secret.txt]"), "{site}");
}

#[test]
fn a_missing_include_is_reported_at_its_line_and_left_as_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    copy_dir(&fixture_book(), &book);
    let chapter = book.join("src/ch01-00-installation.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, format!("{text}\nSee:\n\n  {{{{#include ../code/gone.rs:2:5}}}}\n")).unwrap();
    let run = tandem(&["import", "mdbook", "book", "site"], tmp.path());
    assert_eq!(run.code, 1);
    let line = text.lines().count() + 4;
    let problem = run.stderr.split("\n\n").next().unwrap();
    insta::assert_snapshot!("missing_include", problem.replace(&line.to_string(), "LINE"));
    assert!(run.stderr.contains("the site was written"), "{}", run.stderr);
    let page =
        std::fs::read_to_string(tmp.path().join("site/content/getting-started/ch01-00-installation.md"))
            .unwrap();
    assert!(page.contains("> [!WARNING]\n> tandem import: missing include: ../code/gone.rs"), "{page}");
    // The site still builds, and the reader sees the note.
    let build = tandem(&["build", "--root", "site"], tmp.path());
    assert_eq!(build.code, 0, "{}", build.stderr);
    let html = std::fs::read_to_string(
        tmp.path().join("site/public/getting-started/ch01-00-installation/index.html"),
    )
    .unwrap();
    assert!(html.contains("missing include: ../code/gone.rs"), "{html}");
}

#[test]
fn a_broken_quiz_is_reported_and_the_rest_still_imports() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    copy_dir(&fixture_book(), &book);
    std::fs::write(
        book.join("quizzes/listings.toml"),
        "[[questions]]\ntype = \"MultipleChoice\"\nprompt = 3\n",
    )
    .unwrap();
    let run = tandem(&["import", "mdbook", "book", "site"], tmp.path());
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("quizzes/listings.toml:3:10"), "{}", run.stderr);
    assert!(run.stderr.contains("not an mdbook-quiz file"), "{}", run.stderr);
    let build = tandem(&["build", "--root", "site"], tmp.path());
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stdout.contains("and 1 quiz "), "{}", build.stdout);
}

#[test]
fn a_folder_that_is_not_a_book_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("empty")).unwrap();
    let run = tandem(&["import", "mdbook", "empty", "site"], tmp.path());
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("SUMMARY.md"), "{}", run.stderr);
    assert!(!tmp.path().join("site").exists());
}
