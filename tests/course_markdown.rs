//! Course Markdown end to end: highlighted code, callouts, math, shortcodes and their errors,
//! built by the real binary. Whole HTML fragments and whole diagnostics are snapshots (insta);
//! review a changed one with `cargo insta review`, or read the .snap file beside this test.

mod common;
use common::Fixture;

/// The `<div class="prose">…</div>` part of a built guide (what the Markdown became).
fn body_of(f: &Fixture, page: &str) -> String {
    let html = f.read(&format!("public/guides/{page}/index.html"));
    let start = html.find("<div class=\"prose\"").unwrap_or_else(|| panic!("no prose in {html}"));
    let nav = html.find("<nav class=\"prev-next\"").unwrap_or(html.len());
    let end = html[..nav].rfind("</div>").map_or(nav, |e| e + "</div>".len());
    html[start..end].to_string()
}

fn site_with(page: &str) -> Fixture {
    let f = Fixture::new();
    f.write("content/guides/course.md", &format!("---\ntitle: Course\n---\n{page}"));
    f
}

/// What `build` prints for a broken page, with the temporary folder's name taken out.
fn errors_of(f: &Fixture) -> String {
    let run = f.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.stderr.replace(&f.dir.path().display().to_string(), "[site]")
}

#[test]
fn code_is_highlighted_with_classes_only() {
    let f = site_with(
        "```rust\nfn main() {\n    let s = \"hi\"; // greet\n}\n```\n\n```python\ndef f(x):\n    return 42\n```\n\n```no-such-lang\nplain <text>\n```\n",
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let body = body_of(&f, "course");
    assert!(!body.contains("style="), "{body}");
    insta::assert_snapshot!(body);
}

#[test]
fn rustdoc_hidden_lines_stay_in_the_page_but_hidden() {
    let f = site_with("```rust\n# fn main() {\nprintln!(\"shown\");\n# }\n```\n");
    assert_eq!(f.build().code, 0);
    insta::assert_snapshot!(body_of(&f, "course"));
}

#[test]
fn callouts_use_githubs_markup_with_the_themes_titles() {
    let f = site_with(
        "> [!NOTE]\n> Read this.\n\n> [!TIP]\n> A tip.\n\n> [!IMPORTANT]\n> Key.\n\n> [!WARNING]\n> Careful.\n\n> [!CAUTION]\n> Stop.\n\n> A plain quote.\n",
    );
    assert_eq!(f.build().code, 0);
    insta::assert_snapshot!(body_of(&f, "course"));
}

#[test]
fn a_site_translates_callout_titles() {
    let f = site_with("> [!WARNING]\n> Attention.\n");
    f.write(
        "templates/partials/callout-title.html",
        "{% if kind == \"warning\" %}Achtung{% else %}Hinweis{% endif %}",
    );
    assert_eq!(f.build().code, 0);
    assert!(body_of(&f, "course").contains(r#"<p class="markdown-alert-title">Achtung</p>"#));
}

#[test]
fn math_becomes_mathml_and_prices_stay_prose() {
    let f = site_with("Inline $x^2 + 1$ here.\n\n$$\n\\frac{a}{b}\n$$\n\nIt costs $5 and $10.\n");
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let body = body_of(&f, "course");
    assert!(body.contains("It costs $5 and $10."), "{body}");
    assert!(body.contains("<math display=\"block\""), "{body}");
    insta::assert_snapshot!(body);
}

#[test]
fn bad_tex_is_an_error_at_its_line() {
    let f = site_with("Fine.\n\nBroken $\\frac{a}$ and $\\nosuchcommand$ here.\n");
    insta::assert_snapshot!(errors_of(&f));
}

#[test]
fn shortcodes_inline_on_their_own_line_and_with_a_body() {
    let f = site_with(concat!(
        "Before {{ kbd(key=\"Ctrl\") }} after.\n\n",
        "{{ figure(src=\"/a.png\", alt=\"A chart\", caption=\"Figure 1\") }}\n\n",
        "{% spoiler(summary=\"Answer\") %}\nIt is **42**, see [two](two.md#the-end).\n\n- a list\n{% end %}\n\n",
        "`{{ kbd(key=\"x\") }}` and\n\n```\n{{ kbd(key=\"y\") }}\n```\n",
    ));
    f.write("templates/shortcodes/kbd.html", "<kbd>{{ key }}</kbd>");
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(body_of(&f, "course"));
}

#[test]
fn shortcode_arguments_are_strings_numbers_and_booleans() {
    let f = site_with("{{ show(s='it\\'s', n=3, x=-2.5, yes=true, no=false) }}\n");
    f.write("templates/shortcodes/show.html", "<p>{{ s }}|{{ n + 1 }}|{{ x }}|{{ yes }}|{{ no }}</p>");
    assert_eq!(f.build().code, 0);
    assert!(body_of(&f, "course").contains("<p>it&#39;s|4|-2.5|true|false</p>"), "{}", body_of(&f, "course"));
}

#[test]
fn shortcode_mistakes_are_located_with_did_you_mean() {
    let f = site_with(concat!(
        "{{ figur(src=\"/a.png\", alt=\"x\") }}\n\n",
        "{{ figure(src=\"/a.png\", alt=\"x\", capton=\"c\") }}\n\n",
        "{{ figure(alt=\"no src\") }}\n\n",
        "{{ figure(src=\"/a.png\" alt=\"x\") }}\n\n",
        "{% spoiler(summary=\"never closed\") %}\nbody\n",
    ));
    insta::assert_snapshot!(errors_of(&f));
}

#[test]
fn a_template_error_inside_a_shortcode_points_at_the_call_and_the_template() {
    let f = site_with("Text\n\n{{ broken(n=1) }}\n");
    f.write("templates/shortcodes/broken.html", "<p>\n{{ n | first }}\n</p>");
    let err = errors_of(&f);
    assert!(err.contains("content/guides/course.md:6:"), "{err}");
    assert!(err.contains("shortcodes/broken.html:2:"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn a_quiz_call_that_is_not_alone_is_still_a_call() {
    let f = site_with("- item {{ quiz(id=\"nope\") }}\n");
    let run = f.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("there is no quiz with id `nope`"), "{}", run.stderr);
    assert!(run.stderr.contains("content/guides/course.md:4:"), "{}", run.stderr);
}

#[test]
fn nested_bodies_past_the_limit_are_an_error_not_a_crash() {
    let depth = 40;
    let page =
        format!("{}x\n{}", "{% spoiler(summary=\"s\") %}\n".repeat(depth), "{% end %}\n".repeat(depth));
    let f = site_with(&page);
    let run = f.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("nest more than"), "{}", run.stderr);
}

#[test]
fn quiz_markdown_gets_code_highlighting() {
    let f = Fixture::new();
    f.write(
        "content/quizzes/code.yaml",
        "title: Code\nmode: knowledge\nquestions:\n  - type: single\n    prompt: |\n      What does this print?\n\n      ```rust\n      fn main() { println!(\"hi\"); }\n      ```\n    options:\n      - text: \"`hi`\"\n        correct: true\n      - text: nothing\n",
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = f.read("public/quizzes/code/index.html");
    assert!(html.contains(r#"<span class="hl-kw">fn</span>"#), "{html}");
}
