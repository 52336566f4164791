//! A limit on how deeply YAML and TOML input may nest, checked before anything walks it.
//!
//! Every reader of nested input in tandem (serde, the quiz source map, templates) recurses once
//! per level, so a few kilobytes of `[[[[…` would overflow the stack and abort the process. The
//! guard here runs first and walks iteratively: libyaml's event parser ([`crate::yaml_events`])
//! keeps its own stack on the heap, and this loop stops at the first collection past
//! [`MAX_DEPTH`], so a deep input also costs no more time than a shallow one (libyaml's
//! simple-key bookkeeping grows with the depth).
//!
//! TOML needs no walk of its own: the `toml` crate refuses nesting past its own limit; this
//! module only words that refusal the same way and finds its line when the crate gives none.

use crate::yaml_events::{YamlEvent, YamlEvents};

/// Nesting levels allowed in a quiz file, a front matter or `site.toml`. The quiz format needs
/// six; this leaves room for any `extra:` data while keeping every recursive reader shallow.
pub const MAX_DEPTH: usize = 64;

/// Where input first nests deeper than [`MAX_DEPTH`]: the byte offset of the collection that
/// opens level `MAX_DEPTH + 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub offset: usize,
}

/// Nesting levels the `toml` crate reads in `site.toml` before it refuses (its own limit).
pub const TOML_MAX_DEPTH: usize = 80;

impl TooDeep {
    pub fn message(what: &str) -> String {
        format!("{what} is nested too deeply (more than {MAX_DEPTH} levels of lists and maps)")
    }

    pub fn toml_message() -> String {
        format!(
            "site.toml is nested too deeply (more than {TOML_MAX_DEPTH} levels of tables, arrays and dotted keys)"
        )
    }

    pub const HINT: &str = "flatten the data: no quiz, front matter or site.toml needs that many levels";
}

/// Checks that the YAML in `source` nests at most [`MAX_DEPTH`] collections deep. Invalid YAML
/// passes: the parser that runs next reports the syntax error with its position.
pub fn check_yaml(source: &str) -> Result<(), TooDeep> {
    // Each collection opens at an indicator of its own: `[` or `{` (flow), `-` (block sequence),
    // `:` or `?` (a mapping's first key). With no more of those than the limit, the source cannot
    // nest past it, and the walk (a second parse of every front matter) is not needed.
    let indicators = source.bytes().filter(|b| matches!(b, b'[' | b'{' | b'-' | b':' | b'?')).count();
    if indicators <= MAX_DEPTH {
        return Ok(());
    }
    let mut depth = 0usize;
    for event in YamlEvents::new(source) {
        let Ok((event, offset, _)) = event else { return Ok(()) };
        match event {
            YamlEvent::SequenceStart | YamlEvent::MappingStart => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(TooDeep { offset });
                }
            }
            YamlEvent::SequenceEnd | YamlEvent::MappingEnd => depth = depth.saturating_sub(1),
            YamlEvent::Scalar(_) | YamlEvent::Alias | YamlEvent::Other => {}
        }
    }
    Ok(())
}

/// Whether a `toml` error message is the crate's refusal to nest further.
pub fn is_toml_depth_error(message: &str) -> bool {
    message.contains("max recursion depth") || message.contains("recursion limit")
}

/// The byte offset of the line of `source` whose key has the most segments (`a.b.c = 1` or
/// `[a.b.c]`): where a too-deep dotted key is, when the `toml` crate names no position.
pub fn deepest_toml_key(source: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let key = line.split(['=', '#', '"', '\'']).next().unwrap_or("");
        let dots = key.matches('.').count();
        if dots > 0 && best.is_none_or(|(most, _)| dots > most) {
            best = Some((dots, offset));
        }
        offset += line.len();
    }
    best.map(|(_, at)| at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, close: &str, levels: usize) -> String {
        format!("{}1{}", open.repeat(levels), close.repeat(levels))
    }

    #[test]
    fn shallow_yaml_passes_in_every_style() {
        assert_eq!(check_yaml("a: [1, {b: 2}]\nc:\n  - - x\n"), Ok(()));
        assert_eq!(check_yaml(&format!("x: {}", nested("[", "]", MAX_DEPTH - 1))), Ok(()));
        // As deep as allowed, with more indicators than levels: the walk runs, and lets it pass.
        let colons = format!("y: \"{}\"\n", ":".repeat(MAX_DEPTH));
        assert_eq!(check_yaml(&format!("{colons}x: {}", nested("[", "]", MAX_DEPTH - 1))), Ok(()));
        let one_more = format!("x: {}", nested("[", "]", MAX_DEPTH));
        assert_eq!(check_yaml(&one_more), Err(TooDeep { offset: 3 + MAX_DEPTH - 1 }), "the walk runs at 65");
        assert_eq!(check_yaml("not: [valid"), Ok(()), "syntax errors are the parser's to report");
        assert_eq!(check_yaml(""), Ok(()));
    }

    #[test]
    fn deep_flow_block_and_compact_yaml_is_refused_where_it_gets_too_deep() {
        let flow = format!("x: {}", nested("[", "]", 6000));
        // The root map is level 1, so the list that opens level MAX_DEPTH + 1 is bracket MAX_DEPTH.
        assert_eq!(check_yaml(&flow), Err(TooDeep { offset: 3 + MAX_DEPTH - 1 }));
        let maps = format!("x: {}", nested("{a: ", "}", 6000));
        assert!(check_yaml(&maps).is_err());
        let block: String = (0..200).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
        let Err(TooDeep { offset }) = check_yaml(&format!("{block}{}v\n", " ".repeat(200))) else {
            panic!("block maps nest too");
        };
        assert_eq!(block[..offset].matches('\n').count(), MAX_DEPTH, "offset is on line {}", MAX_DEPTH + 1);
        assert!(check_yaml(&format!("{}x\n", "- ".repeat(500))).is_err(), "compact block lists");
    }

    #[test]
    fn the_deepest_dotted_key_is_found() {
        let source = "title = \"a.b.c\"\n[extra]\nx.y = 1\nz.z.z.z = \"1.2\"\n";
        assert_eq!(deepest_toml_key(source), source.find("z.z"));
        assert_eq!(deepest_toml_key("a = 1\n"), None);
    }
}
