//! Hostile and pathological input (issue 15): every one is an error at file:line with exit 1,
//! never a crash, a hang or a flood.

mod common;
use common::Fixture;

/// Builds a good site, breaks it with `breakage`, and checks that `check` and `build` both fail
/// cleanly (exit 1, the place and the words on stderr, the previous output intact).
fn assert_refused(breakage: impl FnOnce(&Fixture), place: &str, words: &str) -> String {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0, "the fixture builds");
    let before = f.snapshot("public");
    breakage(&f);
    for command in ["check", "build"] {
        let run = f.tandem(&[command]);
        assert_eq!(run.code, 1, "{command}: exit code; stderr: {}", run.stderr);
        assert!(run.stderr.contains(place), "{command}: expected {place} in:\n{}", run.stderr);
        assert!(run.stderr.contains(words), "{command}: expected {words:?} in:\n{}", run.stderr);
    }
    assert_eq!(f.snapshot("public"), before, "the previous output survived");
    f.tandem(&["check"]).stderr
}

const QUIZ_HEAD: &str = "title: Deep\nmode: knowledge\n";

#[test]
fn a_quiz_nested_thousands_deep_is_an_error_not_a_stack_overflow() {
    let deep = 6000;
    let cases = [
        format!("{QUIZ_HEAD}questions: {}{}\n", "[".repeat(deep), "]".repeat(deep)),
        format!("{QUIZ_HEAD}questions: {}1{}\n", "{a: ".repeat(deep), "}".repeat(deep)),
        format!("{QUIZ_HEAD}questions:\n{}x\n", "- ".repeat(deep)),
    ];
    for (yaml, line) in cases.iter().zip([3, 3, 4]) {
        let place = format!("content/deep.yaml:{line}:");
        let err = assert_refused(|f| f.write("content/deep.yaml", yaml), &place, "nested too deeply");
        assert!(err.contains("help:"), "{err}");
    }
}

#[test]
fn block_nesting_is_refused_on_the_line_where_it_gets_too_deep() {
    let levels: String = (0..100).map(|i| format!("  {}k{i}:\n", "  ".repeat(i))).collect();
    let front = format!("---\ntitle: Deep\nextra:\n{levels}{}v: 1\n---\nBody\n", "  ".repeat(101));
    // `extra:`'s map is level 2 (the front matter's map is level 1), so level 65 is the 64th key.
    assert_refused(
        |f| f.write("content/guides/one.md", &front),
        "content/guides/one.md:67:",
        "nested too deeply",
    );
}

#[test]
fn deep_front_matter_is_refused_quickly() {
    let front =
        format!("---\ntitle: Deep\nextra: {}1{}\n---\nBody\n", "{a: ".repeat(50_000), "}".repeat(50_000));
    assert_refused(
        |f| f.write("content/guides/one.md", &front),
        "content/guides/one.md:3:",
        "nested too deeply",
    );
}

#[test]
fn deep_site_toml_is_refused_on_its_line() {
    let arrays = format!("{}[extra]\nx = {}{}\n", common::SITE_TOML, "[".repeat(10_000), "]".repeat(10_000));
    assert_refused(|f| f.write("site.toml", &arrays), "site.toml:4:", "nested too deeply");
    let dotted = format!("{}[extra]\ny = 1\n{} = 1\n", common::SITE_TOML, ["a"; 10_000].join("."));
    assert_refused(|f| f.write("site.toml", &dotted), "site.toml:5:", "nested too deeply");
}

#[test]
fn a_site_without_content_is_the_documented_error_not_a_panic() {
    let f = Fixture::new();
    std::fs::remove_dir_all(f.path("content")).unwrap();
    for command in ["check", "build"] {
        let run = f.tandem(&[command]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(run.stderr.contains("the site has no content/ folder"), "{command}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{command}: {}", run.stderr);
    }
}

#[test]
fn base_url_must_be_an_http_url_or_a_path() {
    for bad in ["javascript:alert(1)", "//evil.example/x"] {
        let toml = format!("title = \"Fixture\"\nbase_url = \"{bad}\"\n");
        let err = assert_refused(|f| f.write("site.toml", &toml), "site.toml:2:", "cannot be the base_url");
        assert!(err.contains("https://example.org/guide"), "says what to write: {err}");
    }
    let f = Fixture::new();
    let run = f.tandem(&["build", "--base-url", "javascript:alert(1)"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("--base-url") && run.stderr.contains("cannot be the base_url"),
        "{}",
        run.stderr
    );
    assert!(!f.path("public").exists());

    f.write("site.toml", "title = \"Fixture\"\nbase_url = \"/guide/\"\n");
    assert_eq!(f.build().code, 0, "a path alone is allowed");
    assert!(
        f.read("public/sitemap.xml").contains("<loc>/guide/guides/one/</loc>"),
        "{}",
        f.read("public/sitemap.xml")
    );
    assert!(f.read("public/guides/one/index.html").contains("href=\"/guide/guides/two/"));
}

#[test]
fn a_quiz_description_is_plain_text_wherever_it_shows() {
    let f = Fixture::new();
    f.write(
        "content/quizzes/check.yaml",
        "title: Check\ndescription: <b>Bold</b> *claims* & \"quotes\"\nmode: knowledge\nquestions:\n  - type: truefalse\n    prompt: Yes?\n    answer: true\n",
    );
    assert_eq!(f.build().code, 0);
    let escaped = "&lt;b&gt;Bold&lt;&#x2F;b&gt; *claims* &amp; &quot;quotes&quot;";
    let quiz_page = f.read("public/quizzes/check/index.html");
    let listing = f.read("public/quizzes/index.html");
    for (what, html) in [("the quiz", &quiz_page), ("the listing", &listing)] {
        assert!(!html.contains("<b>Bold</b>") && !html.contains("<em>claims</em>"), "{what}: {html}");
        let shown = html.replace("&#x2F;", "/").replace("&#47;", "/");
        assert!(shown.contains(&escaped.replace("&#x2F;", "/")), "{what} shows it as written: {html}");
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_skipped_with_a_warning_that_names_them() {
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "---\ntitle: Secret\n---\nsecret\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), f.path("content/guides/linked.md")).unwrap();
    std::fs::create_dir_all(f.path("static")).unwrap();
    std::os::unix::fs::symlink(outside.path(), f.path("static/elsewhere")).unwrap();
    std::fs::create_dir_all(f.path("templates")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), f.path("templates/page.html")).unwrap();
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("this is a symbolic link, so tandem skips it").count(),
        3,
        "{}",
        run.stderr
    );
    for link in ["content/guides/linked.md", "static/elsewhere", "templates/page.html"] {
        assert!(run.stderr.contains(&format!("--> {link}")), "names {link}: {}", run.stderr);
    }
    assert!(run.stderr.contains("3 warnings"), "{}", run.stderr);
    assert!(!f.path("public/guides/linked").exists() && !f.path("public/elsewhere").exists());
    assert!(!f.read("public/guides/one/index.html").contains("secret"));
}

#[test]
fn a_section_page_lists_its_subsections_one_level_deep() {
    // Each section page used to carry its whole subtree, so a chain of nested folders cost
    // depth² URLs per page; `nav` has the whole tree for a theme that wants it.
    let f = Fixture::new();
    f.write(
        "templates/section.html",
        "{% for s in section.subsections %}{{ s.title }}:{{ s.pages | length }}:{{ s.subsections | length }};{% endfor %}",
    );
    f.write("content/guides/deeper/_index.md", "---\ntitle: Deeper\n---\n");
    f.write("content/guides/deeper/page.md", "---\ntitle: P\n---\nx\n");
    f.write("content/guides/deeper/deepest/_index.md", "---\ntitle: Deepest\n---\n");
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(f.read("public/guides/index.html"), "Deeper:1:0;");
    assert_eq!(f.read("public/guides/deeper/index.html"), "Deepest:0:0;");
}

/// The text of each entry of a built page's breadcrumb trail.
fn breadcrumb_entries(html: &str) -> Vec<String> {
    let start = html.find("<nav class=\"breadcrumbs").expect("a breadcrumb trail");
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("<li>")
        .skip(1)
        .map(|item| {
            let mut text = String::new();
            let mut in_tag = false;
            for c in item.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.trim().to_string()
        })
        .collect()
}

#[test]
fn a_deep_breadcrumb_trail_keeps_its_ends_and_says_how_many_it_leaves_out() {
    // Every page listing every ancestor made a chain of 1,000 nested folders write 347 MB.
    let f = Fixture::new();
    let mut folder = "content".to_string();
    for i in 1..=11 {
        folder.push_str(&format!("/c{i}"));
        f.write(&format!("{folder}/_index.md"), &format!("---\ntitle: C{i}\n---\n"));
        f.write(&format!("{folder}/leaf.md"), &format!("---\ntitle: Leaf {i}\n---\nx\n"));
    }
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = |depth: usize| {
        let folders: String = (1..=depth).map(|i| format!("c{i}/")).collect();
        breadcrumb_entries(&f.read(&format!("public/{folders}leaf/index.html")))
    };
    // Home and seven sections: 8 entries, all shown.
    assert_eq!(page(7), ["Home", "C1", "C2", "C3", "C4", "C5", "C6", "C7"]);
    // Home and eight: the second section is left out.
    assert_eq!(page(8), ["Home", "C1", "…1 more section", "C3", "C4", "C5", "C6", "C7", "C8"]);
    assert_eq!(page(11), ["Home", "C1", "…4 more sections", "C6", "C7", "C8", "C9", "C10", "C11"]);
    // A section's own page ends its trail, marked current.
    let section = f.read("public/c1/c2/c3/c4/c5/c6/c7/c8/c9/index.html");
    assert_eq!(
        breadcrumb_entries(&section),
        ["Home", "C1", "…2 more sections", "C4", "C5", "C6", "C7", "C8", "C9"]
    );
    assert!(
        section.contains(r#"<a href="/c1/c2/c3/c4/c5/c6/c7/c8/c9/" aria-current="page">C9</a>"#),
        "{section}"
    );
}

#[test]
fn paths_past_the_os_limit_are_errors_with_their_ends_shown_not_4_kb_each() {
    // A chain of sections whose paths grow past PATH_MAX (4,096 bytes): made with bash's `cd`, as
    // create_dir_all (and dash's `cd`) cannot reach that deep, and with long names, so that 200
    // levels do it.
    let f = Fixture::new();
    let name = "a-folder-of-the-chain";
    let script = format!(
        "cd content && for i in $(seq 200); do mkdir {name} && cd {name} && printf -- '---\\ntitle: S%s\\n---\\n' $i > _index.md || exit 1; done"
    );
    let made =
        std::process::Command::new("bash").arg("-c").arg(script).current_dir(f.path("")).output().unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let run = f.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("File name too long"), "{}", run.stderr);
    let errors = run.stderr.matches("error:").count();
    assert!(errors >= 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("content/{name}/…/{name}/{name}/"))
            && run.stderr.contains(" folders deep"),
        "{}",
        run.stderr
    );
    let longest = run.stderr.lines().map(str::len).max().unwrap();
    assert!(longest < 200, "a line of {longest} bytes in:\n{}", run.stderr);
}
