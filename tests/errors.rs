//! Every kind of bad input: a message with file and line, exit code 1, the old output intact.

mod common;
use common::Fixture;

/// Builds a good site, breaks it with `breakage`, builds again and checks what an author sees.
fn assert_fails(breakage: impl FnOnce(&Fixture), file: &str, line: Option<usize>, words: &str) -> String {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0, "the fixture builds");
    let before = f.snapshot("public");
    breakage(&f);
    let run = f.build();
    assert_eq!(run.code, 1, "exit code; stderr: {}", run.stderr);
    let place = match line {
        Some(l) => format!("{file}:{l}:"),
        None => file.to_string(),
    };
    assert!(run.stderr.contains(&place), "expected {place} in:\n{}", run.stderr);
    assert!(run.stderr.contains(words), "expected {words:?} in:\n{}", run.stderr);
    assert_eq!(f.snapshot("public"), before, "the previous output survived");
    let check = f.tandem(&["check"]);
    assert_eq!(check.code, 1, "check fails too: {}", check.stdout);
    assert!(check.stderr.contains(&place), "check reports {place}:\n{}", check.stderr);
    run.stderr
}

#[test]
fn no_front_matter() {
    let err = assert_fails(
        |f| f.write("content/guides/one.md", "# One\n"),
        "content/guides/one.md",
        Some(1),
        "no front matter",
    );
    assert!(err.contains("# One"), "shows the line: {err}");
    assert!(err.contains("help"), "says what to do: {err}");
}

#[test]
fn malformed_yaml() {
    assert_fails(
        |f| f.write("content/guides/one.md", "---\ntitle: One\ntags: [a, b\n---\nx\n"),
        "content/guides/one.md",
        None,
        "invalid front matter",
    );
}

#[test]
fn unknown_key_with_suggestion() {
    let err = assert_fails(
        |f| f.write("content/guides/one.md", "---\ntitle: One\nwieght: 3\n---\nx\n"),
        "content/guides/one.md",
        Some(3),
        "did you mean `weight`",
    );
    assert!(err.contains("wieght: 3"), "{err}");
}

#[test]
fn unknown_key_in_site_toml() {
    assert_fails(
        |f| f.write("site.toml", "title = \"x\"\nbase_ulr = \"y\"\n"),
        "site.toml",
        Some(2),
        "did you mean `base_url`",
    );
}

#[test]
fn wrong_type() {
    assert_fails(
        |f| f.write("content/guides/one.md", "---\ntitle: One\nweight: heavy\n---\nx\n"),
        "content/guides/one.md",
        Some(3),
        "invalid front matter",
    );
}

#[test]
fn broken_link() {
    let err = assert_fails(
        |f| f.write("content/guides/one.md", "---\ntitle: One\n---\nSee\n[gone](gone.md).\n"),
        "content/guides/one.md",
        Some(5),
        "missing file: gone.md",
    );
    assert!(err.contains("[gone](gone.md)"), "{err}");
}

#[test]
fn broken_anchor() {
    assert_fails(
        |f| f.write("content/guides/one.md", "---\ntitle: One\n---\n\n[two](two.md#the-ned)\n"),
        "content/guides/one.md",
        Some(5),
        "did you mean `#the-end`",
    );
}

#[test]
fn duplicate_url() {
    assert_fails(
        |f| f.write("content/guides/three.md", "---\ntitle: Three\nslug: two\n---\nx\n"),
        "content/guides/",
        None,
        "two files want the URL /guides/two/",
    );
}

#[test]
fn missing_template() {
    assert_fails(
        |f| f.write("content/guides/one.md", "---\ntitle: One\ntemplate: fancy.html\n---\nx\n"),
        "content/guides/one.md",
        Some(3),
        "no template `fancy.html`",
    );
}

#[test]
fn template_syntax_error() {
    assert_fails(
        |f| f.write("templates/page.html", "<h1>{{ page.title }}</h1>\n{% if %}\n"),
        "templates/page.html",
        Some(2),
        "template error",
    );
}

#[test]
fn template_rendering_error() {
    assert_fails(
        |f| f.write("templates/page.html", "<h1>{{ page.title }}</h1>\n{{ page.nope.deeper }}\n"),
        "templates/page.html",
        Some(2),
        "while rendering content/guides/",
    );
}

#[test]
fn all_errors_are_reported_not_just_the_first() {
    let f = Fixture::new();
    f.write("content/guides/one.md", "---\ntitle: One\nwieght: 1\n---\n");
    f.write("content/guides/two.md", "---\ntitle: Two\n---\n[x](nope.md)\n");
    let run = f.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/guides/one.md:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("content/guides/two.md:4:"), "{}", run.stderr);
    assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
}

#[test]
fn output_folder_without_the_marker_is_never_replaced() {
    let f = Fixture::new();
    f.write("public/precious.txt", "keep me");
    let run = f.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("not made by tandem"), "{}", run.stderr);
    assert_eq!(f.read("public/precious.txt"), "keep me");
    assert_eq!(f.snapshot("public").len(), 1, "nothing added");
}

#[test]
fn output_folder_may_not_be_the_site_or_hold_it() {
    let f = Fixture::new();
    for out in [".", ".."] {
        let target = f.path(out);
        let run = f.tandem(&["build", "--output", target.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{out}: {}", run.stderr);
        assert!(f.path("content/guides/one.md").exists());
    }
    let run = f.tandem(&["build", "--output", f.path("content").to_str().unwrap()]);
    assert_eq!(run.code, 1, "an output folder inside content/ holding files is refused");
    let run = f.tandem(&["build", "--output", f.path("static/site").to_str().unwrap()]);
    assert_eq!(run.code, 1, "an output folder inside an input folder is refused");
    assert!(run.stderr.contains("inside the site's static/ folder"), "{}", run.stderr);
    assert!(!f.path("static/site").exists());
}

#[test]
fn a_broken_quiz_is_one_error_not_one_per_embed() {
    let f = Fixture::new();
    f.write(
        "content/guides/q.yaml",
        "title: Q\nmode: knowlege\nquestions:\n  - { type: truefalse, prompt: P, answer: true }\n",
    );
    f.write(
        "content/guides/one.md",
        "---\ntitle: One\n---\n## Start here\n\n{{ quiz(id=\"q\") }}\n\n{{ quiz(id=\"q\") }}\n",
    );
    let run = f.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/guides/q.yaml:2:"), "{}", run.stderr);
    assert!(!run.stderr.contains("there is no quiz"), "{}", run.stderr);
    assert!(run.stderr.contains("1 error"), "{}", run.stderr);
}

#[test]
fn a_quiz_with_a_byte_order_mark_reads_like_any_other() {
    let f = Fixture::new();
    f.write("content/guides/q.yaml", "\u{feff}title: Q\nmode: knowledge\nzebra: 1\nquestions:\n  - { type: truefalse, prompt: P, answer: true }\n");
    let run = f.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/guides/q.yaml:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("zebra"), "{}", run.stderr);
}

#[test]
fn nothing_silently_takes_the_place_of_a_generated_file() {
    for (file, text) in [
        ("content/tags/_index.md", "---\ntitle: Tags\n---\n"),
        ("content/guides/x.md", "---\ntitle: X\naliases: [\"/tags/basics/\"]\n---\n"),
        ("content/guides/y.md", "---\ntitle: Y\naliases: [\"a/../../b\"]\n---\n"),
        ("content/z.md", "---\ntitle: Z\nslug: 404.html\n---\n"),
    ] {
        let f = Fixture::new();
        f.write(file, text);
        let check = f.tandem(&["check"]);
        assert_eq!(check.code, 1, "{file}: check must fail too: {}", check.stdout);
        assert!(check.stderr.contains(file), "{file}: {}", check.stderr);
        assert_eq!(f.build().code, 1, "{file}");
    }
}

#[test]
fn tags_differing_in_case_share_one_listing() {
    let f = Fixture::new();
    f.write("content/guides/three.md", "---\ntitle: Three\ntags: [Basics]\n---\n");
    assert_eq!(f.build().code, 0);
    let listing = f.read("public/tags/basics/index.html");
    assert!(listing.contains(">One<") && listing.contains(">Three<"), "{listing}");
    assert_eq!(f.read("public/tags/index.html").matches("/tags/basics/").count(), 1);
}

#[test]
fn a_slug_that_needs_a_sections_index_file_as_a_folder() {
    assert_fails(
        |f| f.write("content/guides/three.md", "---\ntitle: Three\nslug: index.html\n---\nText.\n"),
        "content/guides/three.md",
        Some(3),
        "guides/index.html is a file of content/guides/_index.md",
    );
}

#[test]
fn an_alias_over_a_theme_file() {
    let err = assert_fails(
        |f| f.write("content/guides/three.md", "---\ntitle: Three\naliases: [/quiz.js]\n---\nText.\n"),
        "content/guides/three.md",
        Some(3),
        "quiz.js is a file of the static file",
    );
    assert!(err.contains("the alias /quiz.js"), "{err}");
}

#[test]
fn an_alias_over_the_output_marker() {
    assert_fails(
        |f| f.write("content/guides/three.md", "---\ntitle: Three\naliases: [/.tandem-output]\n---\nText.\n"),
        "content/guides/three.md",
        Some(3),
        ".tandem-output is a file of tandem's own output marker",
    );
}

#[test]
fn a_static_file_named_like_a_section() {
    assert_fails(
        |f| f.write("static/guides", "not a folder"),
        "static/guides",
        None,
        "needs a folder of that name",
    );
}

#[test]
fn a_static_file_over_a_generated_one() {
    assert_fails(
        |f| f.write("static/sitemap.xml", "<x/>"),
        "static/sitemap.xml",
        None,
        "writes sitemap.xml, which tandem's own site file writes too",
    );
}

#[test]
fn a_static_file_among_the_search_index_files() {
    // Its name might not clash today (the site has few shards), but the index owns the folder.
    assert_fails(
        |f| f.write("static/search/s/0.bin", "mine"),
        "static/search/s/0.bin",
        None,
        "writes search/s/0.bin, but the folder search/s/ holds tandem's own search index files",
    );
    assert_fails(
        |f| f.write("static/search/f/999.json", "{}"),
        "static/search/f/999.json",
        None,
        "the folder search/f/ holds tandem's own search index files",
    );
}

#[test]
fn a_page_aliased_into_the_search_index() {
    assert_fails(
        |f| f.write("content/guides/three.md", "---\ntitle: Three\naliases: [/search/f/]\n---\nText.\n"),
        "content/guides/three.md",
        Some(3),
        "writes search/f/index.html, but the folder search/f/ holds tandem's own search index files",
    );
}

/// A knowledge quiz in content/quizzes/ whose one question `tests` this link.
fn quiz_testing(tests: &str) -> String {
    format!(
        "title: Q\nmode: knowledge\nquestions:\n  - type: truefalse\n    prompt: P\n    answer: true\n    tests: {tests}\n"
    )
}

#[test]
fn a_tests_link_is_checked_like_any_content_link() {
    for (tests, words) in [
        ("../guides/three.md#start-here", "`tests` links to a missing file: ../guides/three.md"),
        ("../guides/one.md#start-her", "content/guides/one.md has no heading `#start-her`"),
        ("../guides/q2.yaml#x", "`tests` links to a quiz"),
        ("../../site.toml#x", "`tests` links outside content/"),
    ] {
        let err = assert_fails(
            |f| {
                f.write("content/guides/q2.yaml", &quiz_testing("one.md#start-here"));
                f.write("content/quizzes/q.yaml", &quiz_testing(tests));
            },
            "content/quizzes/q.yaml",
            Some(7),
            words,
        );
        assert!(err.contains(&format!("tests: {tests}")), "shows the line: {err}");
        if tests.ends_with("#start-her") {
            assert!(err.contains("did you mean `#start-here`?"), "{err}");
        }
    }
}

#[test]
fn check_coverage_lists_the_sections_no_question_tests() {
    let f = Fixture::new();
    f.write(
        "content/guides/one.md",
        "---\ntitle: One\nweight: 1\n---\n## Start here\n\n### A detail\n\n## Keep going\n\n#### Deep\n\n## Stop\n",
    );
    f.write(
        "content/quizzes/q.yaml",
        "title: Q\nmode: knowledge\nquestions:\n  - { type: truefalse, prompt: P, answer: true, tests: ../guides/one.md#start-here }\n  - { type: truefalse, prompt: P, answer: true, tests: ../guides/one.md#deep }\n",
    );
    let run = f.tandem(&["check", "--coverage"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = "\
Guide sections (h2 and h3) that quiz questions test with `tests:`

content/guides/one.md: 2 of 4 sections tested (50%)
  not tested:
    line 7: ### A detail (#a-detail)
    line 13: ## Stop (#stop)
content/guides/two.md: 0 of 1 section tested (0%)
  not tested:
    line 6: ## The end (#the-end)

In all: 2 of 5 sections tested (40%) across 2 guides.
To cover a section, add `tests: ../guides/GUIDE.md#ANCHOR` to the question that checks it.
";
    assert!(run.stdout.starts_with(expected), "{}", run.stdout);
    // Without the flag, check says nothing about coverage.
    assert!(!f.tandem(&["check"]).stdout.contains("sections tested"));
}
