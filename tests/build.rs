//! Building fixture sites and reading the HTML they produce.

mod common;
use common::Fixture;

#[test]
fn builds_pages_sections_and_site_files() {
    let f = Fixture::new();
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("built 4 pages and 0 quizzes in"), "summary line: {}", run.stdout);
    for file in [
        "index.html",
        "guides/index.html",
        "guides/one/index.html",
        "guides/two/index.html",
        "old-two/index.html",
        "tags/index.html",
        "tags/basics/index.html",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "atom.xml",
        "style.css",
        ".tandem-output",
    ] {
        assert!(f.path("public").join(file).is_file(), "missing {file}");
    }
    let one = f.read("public/guides/one/index.html");
    assert!(one.contains(r#"<h2 id="start-here">"#), "heading id: {one}");
    assert!(one.contains(r#"href="/guides/two/#the-end""#), "rewritten link: {one}");
    assert!(one.contains(r#"rel="next" href="/guides/two/""#), "next link: {one}");
    assert!(one.contains(r#"aria-current="page""#), "current page marked: {one}");
    assert!(one.contains(r#"href="/tags/basics/""#), "tag link: {one}");
    let home = f.read("public/index.html");
    assert!(home.contains(r#"href="/guides/one/""#), "{home}");
    assert!(f.read("public/old-two/index.html").contains("url=/guides/two/"));
    let sitemap = f.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/guides/one/</loc>"), "{sitemap}");
    let feed = f.read("public/atom.xml");
    assert!(
        feed.contains("<title>One</title>") && feed.contains("https://example.org/guides/two/"),
        "{feed}"
    );
    assert!(f.read("public/robots.txt").contains("Sitemap: https://example.org/sitemap.xml"));
}

#[test]
fn search_is_on_by_default_and_off_with_its_option() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    assert!(f.path("public/search/index.json").is_file() && f.path("public/search/s/0.bin").is_file());
    let one = f.read("public/guides/one/index.html");
    assert!(one.contains("data-search-input") && one.contains("/search/index.json"), "{one}");
    assert!(f.read("public/404.html").contains("try the search above"));

    f.write("site.toml", &format!("{}[search]\nenabled = false\n", common::SITE_TOML));
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!f.path("public/search").exists(), "no index files at all");
    for page in ["index.html", "guides/index.html", "guides/one/index.html", "404.html"] {
        let html = f.read(&format!("public/{page}"));
        assert!(!html.contains("data-search") && !html.contains("search/index.json"), "{page}: {html}");
        assert!(!html.contains("try the search"), "{page} points at no search box");
    }
    // The rest of the site is as it was.
    assert!(f.read("public/guides/one/index.html").contains(r#"href="/guides/two/#the-end""#));
}

#[test]
fn pages_sort_by_weight_then_title_with_prev_next() {
    let f = Fixture::new();
    f.write("content/guides/a.md", "---\ntitle: Zebra\nweight: 1\n---\nz\n");
    f.write("content/guides/b.md", "---\ntitle: Apple\nweight: 1\n---\na\n");
    assert_eq!(f.build().code, 0);
    let section = f.read("public/guides/index.html");
    let pos = |t: &str| section.find(&format!(">{t}</a>")).unwrap_or_else(|| panic!("{t} in {section}"));
    assert!(pos("Apple") < pos("One") && pos("One") < pos("Zebra") && pos("Zebra") < pos("Two"));
    let apple = f.read("public/guides/b/index.html");
    assert!(apple.contains(r#"rel="next" href="/guides/one/""#), "{apple}");
}

#[test]
fn drafts_only_with_the_flag() {
    let f = Fixture::new();
    f.write("content/guides/wip.md", "---\ntitle: WIP\ndraft: true\n---\nsoon\n");
    assert_eq!(f.build().code, 0);
    assert!(!f.path("public/guides/wip/index.html").exists());
    assert_eq!(f.tandem(&["build", "--drafts"]).code, 0);
    assert!(f.path("public/guides/wip/index.html").exists());
}

#[test]
fn markdown_extensions_and_toc() {
    let f = Fixture::new();
    f.write(
        "content/guides/rich.md",
        "---\ntitle: Rich\n---\n## A\n\n## B\n\n### B1\n\n## C\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n- [ ] task\n\n~~old~~ \"quoted\"[^n]\n\n[^n]: A note.\n",
    );
    assert_eq!(f.build().code, 0);
    let html = f.read("public/guides/rich/index.html");
    for needle in [
        "<table>",
        "type=\"checkbox\"",
        "<del>old</del>",
        "“quoted”",
        "footnote",
        "class=\"toc\"",
        "href=\"#b1\"",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
}

#[test]
fn site_templates_and_static_override_the_theme() {
    let f = Fixture::new();
    f.write("templates/page.html", "<p>custom {{ page.title }}</p>");
    f.write("static/style.css", "/* mine */");
    f.write("static/img/logo.svg", "<svg/>");
    assert_eq!(f.build().code, 0);
    assert_eq!(f.read("public/guides/one/index.html"), "<p>custom One</p>");
    assert_eq!(f.read("public/style.css"), "/* mine */");
    assert_eq!(f.read("public/img/logo.svg"), "<svg/>");
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let f = Fixture::new();
    assert_eq!(f.tandem(&["build", "--base-url", "https://example.org/docs/"]).code, 0);
    let one = f.read("public/guides/one/index.html");
    assert!(one.contains(r#"href="/docs/guides/two/#the-end""#), "{one}");
    assert!(one.contains(r#"href="/docs/style.css""#), "{one}");
}

#[test]
fn output_flag_and_rebuild_replace_the_previous_output() {
    let f = Fixture::new();
    assert_eq!(f.tandem(&["build", "--output", f.path("out").to_str().unwrap()]).code, 0);
    assert!(f.path("out/guides/one/index.html").exists());
    std::fs::remove_file(f.path("content/guides/two.md")).unwrap();
    f.write("content/guides/one.md", "---\ntitle: One\n---\nalone\n");
    assert_eq!(f.tandem(&["build", "--output", f.path("out").to_str().unwrap()]).code, 0);
    assert!(!f.path("out/guides/two/index.html").exists(), "stale page removed");
    let leftovers: Vec<_> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("tandem-staging"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind");
}

#[test]
fn check_writes_nothing() {
    let f = Fixture::new();
    let run = f.tandem(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!f.path("public").exists());
}

#[test]
fn init_makes_a_site_that_builds_anywhere() {
    let f = Fixture::empty();
    let run = f.tandem(&["init", "new-site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["build", "--root"])
        .arg(f.path("new-site"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(f.path("new-site/public/guides/first-steps/index.html").exists());
    assert!(f.path("new-site/public/quizzes/check-yourself/index.html").exists());
    assert_eq!(f.tandem(&["init", "new-site"]).code, 1, "refuses a folder that is not empty");
}

#[test]
fn bad_usage_exits_2() {
    let f = Fixture::new();
    assert_eq!(f.tandem(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(f.tandem(&["frobnicate"]).code, 2);
}

#[test]
fn every_command_has_help() {
    let f = Fixture::new();
    for cmd in ["build", "check", "init"] {
        let run = f.tandem(&[cmd, "--help"]);
        assert_eq!(run.code, 0);
        assert!(run.stdout.contains("--root"), "{cmd}: {}", run.stdout);
    }
}

#[test]
fn quizzes_render_as_pages_and_embeds_with_their_links_rewritten() {
    let f = Fixture::new();
    f.write(
        "content/guides/q.yaml",
        "title: Check\nmode: knowledge\nquestions:\n  - type: truefalse\n    prompt: See [one](one.md) first.\n    answer: true\n    explanation: Also [</script><!--](two.md#the-end).\n",
    );
    f.write(
        "content/guides/one.md",
        "---\ntitle: One\n---\n## Start here\n\n{{ quiz(id=\"q\") }}\n\n{{ quiz(id=\"q\") }}\n",
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = f.read("public/guides/q/index.html");
    assert!(page.contains(r#"<form"#) && page.contains(r#"data-quiz="q""#), "{page}");
    assert!(page.contains(r#"href="/guides/one/""#), "link in a prompt: {page}");
    assert!(page.contains(r#"href="/guides/two/#the-end""#), "link in an explanation: {page}");
    let data_start = page.find("data-quiz-data>").unwrap();
    let data_end = data_start + page[data_start..].find("</script>").unwrap();
    assert!(!page[data_start..data_end].contains("<!--"), "quiz data cannot open a comment");
    let guide = f.read("public/guides/one/index.html");
    assert_eq!(guide.matches("data-quiz=\"q\"").count(), 2, "two embeds: {guide}");
    // Issue 15.7: each embed has its own element ids, so a label checks its own copy's input.
    let ids: Vec<&str> = guide.split(" id=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    let distinct: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), distinct.len(), "an id used twice: {ids:?}");
    let forms: Vec<&str> = guide.split("<form class=\"quiz\"").skip(1).collect();
    assert_eq!(forms.len(), 2);
    for form in &forms {
        let form = &form[..form.find("</form>").unwrap()];
        for target in form.split(" for=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]) {
            assert!(
                form.contains(&format!(" id=\"{target}\"")),
                "label for {target} points outside its form"
            );
        }
    }
    assert!(forms[0].contains("id=\"quiz-q-q1-true\"") && forms[1].contains("id=\"quiz-q-2-q1-true\""));
    assert!(!guide.contains('\u{1}') && !page.contains('\u{1}'), "no embed marker is left");
    assert!(guide.contains("/quiz-basic.min.js\""), "pages with quizzes load the script");
    assert!(!f.read("public/guides/two/index.html").contains("quiz"), "pages without quizzes don't");

    f.write(
        "content/guides/q.yaml",
        "title: Check\nmode: knowledge\nquestions:\n  - type: truefalse\n    prompt: See [gone](gone.md) first.\n    answer: true\n",
    );
    let run = f.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/guides/q.yaml:5:"), "{}", run.stderr);
    assert!(run.stderr.contains("missing file: gone.md"), "{}", run.stderr);
}

#[test]
fn pages_load_the_basic_quiz_script_unless_a_quiz_on_them_needs_more() {
    let f = Fixture::new();
    let basic = "mode: knowledge\nquestions:\n  - type: truefalse\n    prompt: Yes?\n    answer: true\n";
    f.write("content/guides/plain.yaml", &format!("title: Plain\n{basic}"));
    // SPEC §3.1-3.3, one feature each (share links are in the basic script: they are on by default)
    let order = "  - type: order\n    prompt: Order\n    items: [a, b]\n";
    let extras = [
        ("practice", format!("practice: true\n{basic}")),
        ("draw", format!("draw: 1\n{basic}  - type: truefalse\n    prompt: No?\n    answer: false\n")),
        ("hint", format!("{basic}    hint: Think.\n")),
        ("tests", format!("{basic}    tests: one.md#start-here\n")),
        ("order", format!("{basic}{order}")),
        (
            "top",
            "mode: assessment\ndimensions: [{id: a, label: A}, {id: b, label: B}]\nquestions:\n  - type: single\n    prompt: P\n    options:\n      - {text: x, points: {a: 1}}\n      - {text: y, points: {b: 1}}\noutcomes:\n  - {id: oa, title: A, top: a}\n  - {id: ob, title: B, top: b}\n".to_string(),
        ),
    ];
    for (name, yaml) in &extras {
        f.write(&format!("content/guides/{name}.yaml"), &format!("title: {name}\n{yaml}"));
    }
    f.write("content/guides/one.md", "---\ntitle: One\n---\n## Start here\n\n{{ quiz(id=\"plain\") }}\n");
    f.write(
        "content/guides/mixed.md",
        "---\ntitle: Mixed\n---\n{{ quiz(id=\"plain\") }}\n\n{{ quiz(id=\"hint\") }}\n",
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let scripts = |file: &str| {
        let html = f.read(&format!("public/guides/{file}/index.html"));
        html.split("<script type=\"module\" src=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .filter(|s| s.contains("quiz"))
            .collect::<Vec<_>>()
    };
    assert_eq!(scripts("plain"), ["/quiz-basic.min.js"]);
    assert_eq!(scripts("one"), ["/quiz-basic.min.js"]);
    assert_eq!(scripts("mixed"), ["/quiz.min.js"], "one quiz that needs more is enough");
    for (name, _) in &extras {
        assert_eq!(scripts(name), ["/quiz.min.js"], "{name}");
    }
    for file in ["quiz.min.js", "quiz-basic.min.js"] {
        assert!(f.path("public").join(file).is_file(), "{file} is written");
    }
}

#[test]
fn an_unsound_quiz_fails_the_build_with_a_concrete_score() {
    let f = Fixture::new();
    f.write(
        "content/guides/q.yaml",
        "title: Gap\nmode: assessment\ndimensions: [{ id: d }]\nquestions:\n  - { type: scale, prompt: A, scale: agree5, dimension: d }\n  - { type: scale, prompt: B, scale: agree5, dimension: d }\n  - { type: scale, prompt: C, scale: agree5, dimension: d }\noutcomes:\n  - { id: low, title: Low, when: { d: { below: 7 } } }\n  - { id: high, title: High, when: { d: { min: 8 } } }\n",
    );
    let run = f.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/guides/q.yaml:"), "{}", run.stderr);
    assert!(run.stderr.contains("d 7 matches no outcome"), "{}", run.stderr);
}

#[test]
fn a_section_called_content_builds_again_and_again() {
    let f = Fixture::new();
    f.write("content/content/_index.md", "---\ntitle: About content\n---\n");
    for _ in 0..2 {
        let run = f.build();
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert!(f.path("public/content/index.html").exists());
}

#[test]
fn file_names_that_urls_cannot_hold_are_percent_encoded() {
    let f = Fixture::new();
    f.write("content/q&a #1/_index.md", "---\ntitle: Q and A\n---\n");
    f.write("content/q&a #1/café au lait.md", "---\ntitle: Café\n---\nBack to [one](../guides/one.md).\n");
    f.write(
        "content/guides/three.md",
        "---\ntitle: Three\n---\nSee [café](../q&a%20%231/café%20au%20lait.md).\n",
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(f.path("public/q&a #1/café au lait/index.html").is_file());
    let three = f.read("public/guides/three/index.html");
    assert!(three.contains(r#"href="/q&amp;a%20%231/caf%C3%A9%20au%20lait/""#), "{three}");
    let sitemap = f.read("public/sitemap.xml");
    assert!(sitemap.contains("https://example.org/q&amp;a%20%231/caf%C3%A9%20au%20lait/"), "{sitemap}");
}

/// The section navigation of a page of a big section lists the 5 pages around it and links to the
/// section's page, which lists them all; a small section lists every page (issue 12.2).
#[test]
fn section_navigation_stays_small_on_big_sections() {
    let f = Fixture::new();
    for i in 1..=45 {
        f.write(
            &format!("content/big/p{i:02}.md"),
            &format!("---\ntitle: Page {i:02}\nweight: {i}\n---\nText.\n"),
        );
    }
    f.write("content/big/_index.md", "---\ntitle: Big\n---\n");
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let nav = |rel: &str| {
        let html = f.read(rel);
        let at = html.find(r#"<nav class="section-nav""#).unwrap_or_else(|| panic!("no section nav: {html}"));
        html[at..at + html[at..].find("</nav>").unwrap()].to_string()
    };
    let listed = |nav: &str| -> Vec<String> {
        nav.split("<li><a ")
            .skip(1)
            .map(|l| l[l.find('>').unwrap() + 1..l.find("</a>").unwrap()].to_string())
            .collect()
    };
    let pages = |from: usize, to: usize| (from..=to).map(|i| format!("Page {i:02}")).collect::<Vec<_>>();

    let middle = nav("public/big/p25/index.html");
    assert_eq!(listed(&middle), pages(23, 27), "{middle}");
    assert!(middle.contains(r#"<a href="/big/p25/" aria-current="page">Page 25</a>"#), "{middle}");
    assert_eq!(middle.matches("aria-current").count(), 1, "{middle}");
    assert!(middle.contains(r#"23–27 of <a href="/big/">all 45 pages</a>"#), "{middle}");
    // At the section's ends the five shift inwards.
    for (page, first) in [(1, 1), (2, 1), (3, 1), (4, 2), (44, 41), (45, 41)] {
        let html = nav(&format!("public/big/p{page:02}/index.html"));
        assert_eq!(listed(&html), pages(first, first + 4), "page {page}: {html}");
        assert!(html.contains(&format!(r#"<a href="/big/p{page:02}/" aria-current="page">"#)), "{html}");
    }
    // The section's own page lists every page, as titles past 20.
    let listing = f.read("public/big/index.html");
    assert_eq!(listing.matches(">Page ").count(), 45, "{listing}");
    assert!(
        listing.contains(r#"<ul class="page-list"><li><a href="/big/p01/">Page 01</a></li>"#),
        "{listing}"
    );

    let small = nav("public/guides/one/index.html");
    assert!(!small.contains(" of <a "), "{small}");
    assert!(small.contains(r#"<a href="/guides/one/" aria-current="page">One</a>"#), "{small}");
    assert!(small.contains(r#"<a href="/guides/two/">Two</a>"#), "{small}");
    assert!(!f.read("public/guides/index.html").contains("page-list"));
}

/// A site of more than 10 sections lists only the current one in every page's header, with a
/// link to the home page's list of all; the home page shows 20 pages of each section and links to
/// the rest; the feed lists `[feed] limit` guides (issue 12.2).
#[test]
fn big_sites_keep_each_pages_header_home_page_and_feed_small() {
    let f = Fixture::new();
    for s in 1..=12 {
        f.write(&format!("content/s{s:02}/_index.md"), &format!("---\ntitle: Section {s:02}\n---\n"));
        let pages = if s == 1 { 55 } else { 1 };
        for p in 1..=pages {
            let date = format!("2026-{:02}-{:02}", 1 + p / 28, 1 + p % 28);
            f.write(
                &format!("content/s{s:02}/p{p:02}.md"),
                &format!("---\ntitle: S{s:02} page {p:02}\nweight: {p}\ndate: {date}\n---\nText.\n"),
            );
        }
    }
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = f.read("public/s03/p01/index.html");
    let header = &page[page.find(r#"<nav class="site-nav""#).unwrap()..];
    let header = &header[..header.find("</nav>").unwrap()];
    assert!(header.contains(r#"<a href="/s03/" aria-current="true">Section 03</a>"#), "{header}");
    assert!(!header.contains("Section 04") && !header.contains("Guides"), "{header}");
    // The fixture's own guides section makes 13.
    assert!(header.contains(r#"<a href="/#home-1">All 13 sections</a>"#), "{header}");

    let home = f.read("public/index.html");
    assert!(home.contains(r#"id="home-1""#), "{home}");
    assert!(home.contains(">S01 page 20</a>") && !home.contains(">S01 page 21</a>"), "{home}");
    assert!(home.contains(r#"<a href="/s01/">All 55 pages of Section 01</a>"#), "{home}");
    assert!(home.contains(">S02 page 01</a>") && !home.contains("pages of Section 02"), "{home}");

    // 68 guides: the fixture's 2, 55 and 11.
    let feed = |f: &Fixture| f.read("public/atom.xml").matches("<entry>").count();
    assert_eq!(feed(&f), 50);
    f.write("site.toml", &format!("{}\n[feed]\nlimit = 3\n", f.read("site.toml")));
    assert_eq!(f.build().code, 0);
    let atom = f.read("public/atom.xml");
    assert_eq!(feed(&f), 3, "{atom}");
    // Newest first.
    assert!(
        atom.contains("S01 page 55") && atom.contains("S01 page 53") && !atom.contains("S01 page 52"),
        "{atom}"
    );
    f.write("site.toml", &f.read("site.toml").replace("limit = 3", "limit = 0"));
    assert_eq!(f.build().code, 0);
    assert_eq!(feed(&f), 68);
}

/// SPEC §3.2 and issue 11.7: what each quiz page offers follows its keys, and every quiz says
/// where its answers are kept.
#[test]
fn teaching_features_and_the_storage_note_follow_the_quiz_keys() {
    let f = Fixture::new();
    let knowledge = "title: K\nmode: knowledge\nquestions:\n  - { type: truefalse, prompt: P, answer: true, hint: Think., tests: ../guides/one.md#start-here }\n";
    f.write("content/quizzes/plain.yaml", knowledge);
    f.write(
        "content/quizzes/taught.yaml",
        &knowledge.replace("mode: knowledge\n", "mode: knowledge\npractice: true\nshare: false\n"),
    );
    f.write(
        "content/quizzes/check.yaml",
        "title: A\nmode: assessment\ndimensions: [{ id: d }]\nquestions:\n  - { type: scale, prompt: P, dimension: d, scale: agree5 }\n  - { type: scale, prompt: P, dimension: d, scale: agree5 }\n  - { type: scale, prompt: P, dimension: d, scale: agree5 }\noutcomes:\n  - { id: all, title: All, when: {} }\n",
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plain = f.read("public/quizzes/plain/index.html");
    let taught = f.read("public/quizzes/taught/index.html");
    let check = f.read("public/quizzes/check/index.html");
    // a knowledge quiz remembers by default, says so, and offers to forget; an assessment neither
    for html in [&plain, &taught] {
        assert!(html.contains("Your answers are kept in this browser, on this device only"), "{html}");
        assert!(html.contains("data-quiz-forget"));
    }
    assert!(check.contains("Your answers are not kept"), "{check}");
    assert!(!check.contains("data-quiz-forget"));
    // share is on unless turned off
    assert!(plain.contains("data-quiz-share") && check.contains("data-quiz-share"));
    assert!(!taught.contains("data-quiz-share"));
    // practice adds a Check per question and Retry
    assert!(!plain.contains("data-quiz-check") && !plain.contains("data-quiz-retry"));
    assert!(taught.contains(r#"data-quiz-check="q1""#) && taught.contains("data-quiz-retry"));
    // the hint and the review link, named after the heading
    for html in [&plain, &taught] {
        assert!(html.contains(r#"data-quiz-hint="q1" aria-expanded="false""#), "{html}");
        assert!(
            html.contains(r#"<a data-quiz-review href="/guides/one/#start-here">Review: Start here</a>"#),
            "{html}"
        );
    }
}

/// Issue 14.9: the flagship site is clean under every check and lint (SPEC §3.4, §3.5): no
/// error and no warning, so a new warning in its content fails here rather than in review.
#[test]
fn the_flagship_site_checks_with_no_errors_and_no_warnings() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["check", "--root", env!("CARGO_MANIFEST_DIR")])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(!stdout.contains("warning"), "{stdout}");
}
