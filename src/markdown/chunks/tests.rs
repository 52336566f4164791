//! The pieces against the whole: every rendering (HTML, table of contents, anchors, links,
//! shortcodes, diagnostics) of a document parsed in pieces must equal its rendering parsed
//! whole, over generated documents and over every guide of the flagship site, at piece sizes
//! forced small so that nearly every line that may start a piece does.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use super::super::testing::Fixture;
use super::super::{Document, Rendered, TextForSearch, render_in_pieces};
use super::*;
use crate::config::MarkdownConfig;

fn render(text: &str, body_start: usize, chunk_bytes: usize) -> Rendered {
    let doc = Document { path: Path::new("content/a.md"), text, body_start };
    render_in_pieces(&doc, &MarkdownConfig::default(), &Fixture, chunk_bytes, TextForSearch::Collect)
}

/// Panics with the first difference between the whole rendering and the one in pieces; returns
/// how many pieces that took (1 when it fell back to a whole parse).
fn assert_same(text: &str, body_start: usize, chunk_bytes: usize) -> usize {
    let whole = render(text, body_start, usize::MAX);
    let pieces = render(text, body_start, chunk_bytes);
    assert_eq!(whole.pieces, 1);
    assert_eq!(pieces.html, whole.html, "HTML differs for {text:?}");
    assert_eq!(pieces.toc, whole.toc, "table of contents differs for {text:?}");
    assert_eq!(pieces.anchors, whole.anchors, "anchors differ for {text:?}");
    assert_eq!(format!("{:?}", pieces.links), format!("{:?}", whole.links), "links differ for {text:?}");
    assert_eq!(pieces.shortcodes, whole.shortcodes, "shortcodes differ for {text:?}");
    assert_eq!(pieces.diagnostics, whole.diagnostics, "diagnostics differ for {text:?}");
    assert_eq!(pieces.search_text, whole.search_text, "search text differs for {text:?}");
    pieces.pieces
}

/// One block of Markdown, written to meet the others at their edges.
fn block() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "word",
        "*em*",
        "**strong**",
        "`code`",
        "[ref one][r1]",
        "[r2]",
        "[R1][]",
        "[undefined]",
        "note[^n1]",
        "again[^N2]",
        "[^nowhere]",
        "$x^2$",
        "<span>'q'</span>",
        "\"quoted\"",
        "--",
        "...",
        "[o](other.md#part)",
        "[gone](gone.md)",
        "[self](#heading-1)",
        "[nope](#nowhere)",
        "<https://e.org>",
        "{{ fig(src=\"a\") }}",
        "{{ quiz(id=\"q\") }}",
        "{{ nope() }}",
        "~~del~~",
        "![img][r1]",
    ]);
    let line = prop::collection::vec(word, 1..5).prop_map(|w| w.join(" "));
    let bullet = prop::sample::select(vec!["- ", "* ", "+ ", "1. ", "3) ", "- [ ] ", "- [x] "]);
    let item_extra = prop::sample::select(vec![
        "",
        "\n  more text",
        "\n\n  second paragraph",
        "\n  - nested\n  - nested two",
        "\n\n  ```\n  code in item\n\n  - not an item\n  ```",
        "\n\n      indented code",
        "\n> lazy quote",
    ]);
    let list = (bullet, prop::collection::vec((line.clone(), item_extra), 1..6), any::<bool>()).prop_map(
        |(bullet, items, loose)| {
            let mut out = String::new();
            for (i, (text, extra)) in items.iter().enumerate() {
                let marker = if bullet.starts_with(char::is_numeric) {
                    bullet.replacen(|c: char| c.is_numeric(), &(i + 7).to_string(), 1)
                } else {
                    bullet.to_string()
                };
                out.push_str(&format!("{marker}{text}{extra}\n"));
                if loose {
                    out.push('\n');
                }
            }
            out
        },
    );
    let fixed = prop::sample::select(vec![
        "## Heading 1\n",
        "## Heading 1\n",
        "# Title {#custom}\n",
        "Setext\n======\n",
        "Setext two\n---\n",
        "```rust\nfn main() {}\n\n- not an item\n\nnot a paragraph\n```\n",
        "~~~\n```\n\n[r9]: /inside-fence\n~~~\n",
        "````md\n```\ninner\n```\n\n````\n",
        "<div>\n\n*inside div*\n\n</div>\n",
        "<pre>\n\n- no list\n\nplain 'quote'\n</pre>\n",
        "<!--\n\n- hidden\n\n-->\n",
        "<script>var a = 'x';\n\nb -- c\n</script>\n",
        "<!DOCTYPE html>\n",
        "[r1]: https://e.org/one \"Title one\"\n",
        "[r2]: other.md#part\n",
        "[r1]: /second-definition\n",
        "[^n1]: Footnote *one*.\n",
        "[^n2]: Footnote two.\n\n    Its second paragraph.\n",
        "> [!NOTE]\n> A callout\n> - with a list\n",
        "> quote\ncontinued lazily\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "***\n",
        "---\n",
        "$$\nx = 1\n$$\n",
        "$$ \\frac{1}{ $$\n",
        "    indented code\n\n    more\n",
        "{% box() %}\nbody **b**\n\n- item in body\n{% end %}\n",
        "{% box() %}\nnever closed\n",
        "{% end %}\n",
        "[not a definition]\n",
        "2024 was a year.\n",
        "-\n",
        "- - -\n",
        "\n",
    ]);
    prop_oneof![
        3 => line.prop_map(|l| format!("{l}\n")),
        3 => list,
        4 => fixed.prop_map(str::to_string),
    ]
}

fn document() -> impl Strategy<Value = String> {
    let separator = prop::sample::select(vec!["", "\n", "\n"]);
    prop::collection::vec((block(), separator), 1..24)
        .prop_map(|blocks| blocks.into_iter().map(|(b, s)| b + s).collect())
}

#[test]
fn generated_documents_render_the_same_in_pieces() {
    let cases = AtomicUsize::new(0);
    let in_pieces = AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config { cases: 400, failure_persistence: None, ..Config::default() });
    let sizes = prop::sample::select(vec![1usize, 1, 16, 64, 200]);
    runner
        .run(&(document(), sizes), |(body, chunk_bytes)| {
            let text = format!("---\ntitle: T\n---\n{body}");
            let pieces = assert_same(&text, 17, chunk_bytes);
            cases.fetch_add(1, Ordering::Relaxed);
            if pieces > 1 {
                in_pieces.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap();
    // Most documents must really be cut, or the comparison proves little.
    let (cases, in_pieces) = (cases.into_inner(), in_pieces.into_inner());
    eprintln!("{in_pieces} of {cases} generated documents were parsed in pieces");
    assert!(in_pieces * 2 > cases, "only {in_pieces} of {cases} documents were parsed in pieces");
}

#[test]
fn every_flagship_guide_renders_the_same_in_pieces() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let body_start = text[3..].find("\n---\n").map_or(0, |i| 3 + i + 5);
        let pieces = assert_same(&text, body_start, 1);
        let lines = text[body_start..].lines().count();
        assert!(lines < 20 || pieces > 1, "{} was not parsed in pieces", entry.path().display());
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} guides found under {}", root.display());
}

#[test]
fn a_big_list_is_parsed_in_pieces_at_the_default_size() {
    let body = "- item with *some* text\n".repeat(40_000) + "\nAfter the list.\n";
    let text = format!("---\ntitle: T\n---\n{body}");
    let pieces = assert_same(&text, 17, CHUNK_BYTES);
    assert!(pieces >= 3, "{pieces}");
    let whole = render(&text, 17, CHUNK_BYTES);
    assert_eq!(whole.html.matches("<ul>").count(), 1, "the list stays one list");
}

#[test]
fn references_and_footnotes_reach_across_pieces() {
    let mut body = String::from("See [the site][far] and a note[^late].\n\n");
    for i in 0..50 {
        body.push_str(&format!("Paragraph {i}.\n\n"));
    }
    body.push_str("[far]: https://e.org/far \"Far\"\n\n[^late]: The note.\n");
    let text = format!("---\ntitle: T\n---\n{body}");
    let pieces = assert_same(&text, 17, 64);
    assert!(pieces > 10, "{pieces}");
    let r = render(&text, 17, 64);
    assert!(r.html.contains(r#"<a href="https://e.org/far" title="Far">the site</a>"#), "{}", r.html);
    assert!(r.html.contains("footnote-reference"), "{}", r.html);
}

#[test]
fn what_cannot_be_proven_equal_is_parsed_whole() {
    // The same label defined in two pieces: each piece would take its own.
    let mut body = String::from("[a]\n\n[a]: /first\n\n");
    body.push_str(&"Filler.\n\n".repeat(20));
    body.push_str("[a]\n\n[a]: /second\n");
    let text = format!("---\ntitle: T\n---\n{body}");
    assert_eq!(assert_same(&text, 17, 32), 1);
    // A tight part and a loose part of one list.
    let body = format!("{}{}", "- a\n".repeat(20), "- b\n\n".repeat(20));
    let text = format!("---\ntitle: T\n---\n{body}");
    assert_eq!(assert_same(&text, 17, 16), 1);
}

#[test]
fn errors_keep_their_line_and_column() {
    let mut body = "Filler.\n\n".repeat(30);
    body.push_str("Text [gone](gone.md) here.\n");
    let text = format!("---\ntitle: T\n---\n{body}");
    assert!(assert_same(&text, 17, 16) > 1);
    let r = render(&text, 17, 16);
    let at = r.diagnostics[0].location.as_ref().unwrap();
    assert_eq!((at.line, at.column), (64, 6));
}

#[test]
fn cuts_fall_at_blocks_and_items_but_not_in_fences_or_raw_html() {
    let text = "a\n\nb\n- c\n- d\n\n```\n\ne\n```\n\n<pre>\n\nf\n</pre>\n\ng\n";
    let at = |s: &str| text.find(s).unwrap();
    let cuts: Vec<usize> = cut(text, 1).iter().map(|p| p.cut).collect();
    assert_eq!(cuts, [at("b\n"), at("- c"), at("- d"), at("```"), at("<pre>"), at("g\n"), text.len()]);
}

#[test]
fn a_short_text_is_one_piece() {
    assert!(Plan::new("- a\n- b\n", Options::empty(), 1024).is_none());
}

#[test]
fn markers_and_rules() {
    assert_eq!(list_marker("- a"), Some(1));
    assert_eq!(list_marker("12) a"), Some(3));
    assert_eq!(list_marker("-a"), None);
    assert_eq!(list_marker("1234567890. a"), None);
    assert!(!may_start_piece("- - -\n", false));
    assert!(!may_start_piece("-\n", false));
    assert!(!may_start_piece("[a]: /x\n", true));
    assert!(!may_start_piece("text\n", false));
    assert!(may_start_piece("text\n", true));
}

#[test]
fn a_block_is_read_in_the_context_of_the_lines_before_it() {
    // After a definition (or a paragraph), `7) x` continues the paragraph: no list may start.
    let body = format!(
        "{}[r]: /x\n7) not a list\n\nTitle\n=====\n\n| a |\n|---|\n| 1 |\n",
        "Filler.\n\n".repeat(20)
    );
    let text = format!("---\ntitle: T\n---\n{body}");
    assert_same(&text, 17, 8);
    assert!(render(&text, 17, 8).html.contains("<p>7) not a list</p>"));
}
