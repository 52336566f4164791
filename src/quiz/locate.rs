//! Where things are in a quiz file: a tree of YAML nodes with byte spans, so that a semantic error
//! found on the deserialized model ("this option is a duplicate") can point at the node that
//! caused it.
//!
//! yaml_serde reports positions only for its own errors, so this module runs libyaml's event
//! parser ([`crate::yaml_events`], the same pure-Rust port yaml_serde is built on) once over the
//! source and keeps every node's start and end byte offset. Lookups go by path: `["questions", 2,
//! "options", 1, "text"]`.

use crate::yaml_events::{Located, YamlEvent as Event, YamlEvents};

/// One segment of a path into the YAML tree: a mapping key or a sequence index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> From<&'a str> for Seg<'a> {
    fn from(key: &'a str) -> Self {
        Seg::Key(key)
    }
}

impl From<usize> for Seg<'_> {
    fn from(index: usize) -> Self {
        Seg::Index(index)
    }
}

/// A path into the YAML tree, e.g. `at!["questions", 2, "options"]`.
macro_rules! at {
    ($($seg:expr),* $(,)?) => {
        &[$($crate::quiz::locate::Seg::from($seg)),*][..]
    };
}
pub(crate) use at;

/// A stretch of the source: `len` bytes from byte `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
}

/// A YAML node and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Byte offset of the node's first character (a quote, `{`, `[`, `-`, or the first key).
    pub start: usize,
    /// Byte offset just past the node.
    pub end: usize,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar with its value (quotes removed, escapes resolved).
    Scalar(String),
    Sequence(Vec<Node>),
    /// Key and value nodes, in source order.
    Mapping(Vec<(Node, Node)>),
    /// `*anchor`: points back at another node; we do not follow it.
    Alias,
}

impl Node {
    pub fn span(&self) -> Span {
        Span { offset: self.start, len: self.end.saturating_sub(self.start).max(1) }
    }

    /// The value under `key`, when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value node of `key`, when this is a mapping that has it.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.kind {
            NodeKind::Mapping(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.kind, NodeKind::Scalar(s) if s == key))
                .map(|(k, v)| (k, v)),
            NodeKind::Scalar(_) | NodeKind::Sequence(_) | NodeKind::Alias => None,
        }
    }

    pub fn index(&self, i: usize) -> Option<&Node> {
        match &self.kind {
            NodeKind::Sequence(items) => items.get(i),
            NodeKind::Scalar(_) | NodeKind::Mapping(_) | NodeKind::Alias => None,
        }
    }

    fn child(&self, seg: Seg) -> Option<&Node> {
        match seg {
            Seg::Key(k) => self.get(k),
            Seg::Index(i) => self.index(i),
        }
    }
}

/// The node tree of one quiz file, for finding where a value was written.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// The root node of the first document; `None` when the source is not valid YAML (then
    /// yaml_serde reports the syntax error itself, with its position).
    pub root: Option<Node>,
}

impl SourceMap {
    pub fn new(source: &str) -> SourceMap {
        let root = YamlEvents::new(source).collect::<Result<Vec<_>, _>>().ok().and_then(|events| {
            match build_tree(source, &mut events.into_iter()) {
                Some(Built::Node(root)) => Some(root),
                _ => None,
            }
        });
        SourceMap { root }
    }

    /// The node at `path`.
    pub fn node(&self, path: &[Seg]) -> Option<&Node> {
        path.iter().try_fold(self.root.as_ref()?, |node, seg| node.child(*seg))
    }

    /// Where the value at `path` was written.
    pub fn value(&self, path: &[Seg]) -> Option<Span> {
        self.node(path).map(Node::span)
    }

    /// Where the key that ends `path` was written (`path` must end with a key).
    pub fn key(&self, path: &[Seg]) -> Option<Span> {
        let (Seg::Key(key), parent) = path.split_last()? else { return None };
        let (key_node, _) = self.node(parent)?.entry(key)?;
        Some(key_node.span())
    }

    /// The best place to point at for `path`: the value there, or else the deepest part of the
    /// path that exists (a missing key is reported at the mapping that should have held it),
    /// or else the start of the file.
    pub fn value_or_parent(&self, path: &[Seg]) -> Span {
        (0..=path.len()).rev().find_map(|n| self.value(&path[..n])).unwrap_or(Span { offset: 0, len: 1 })
    }

    /// The key that ends `path` when it was written, or else [`SourceMap::value_or_parent`].
    pub fn key_or_parent(&self, path: &[Seg]) -> Span {
        self.key(path).unwrap_or_else(|| self.value_or_parent(path))
    }
}

/// What [`build_tree`] found next: a whole node, or the end of the enclosing collection (with the
/// offset just past its closing `]`/`}` for flow collections).
enum Built {
    Node(Node),
    End(usize),
}

/// Builds the node for the next event and everything nested in it. `None` at the end of the
/// stream.
fn build_tree(source: &str, events: &mut impl Iterator<Item = Located>) -> Option<Built> {
    loop {
        let (event, start, end) = events.next()?;
        let kind = match event {
            Event::Other => continue,
            Event::SequenceEnd | Event::MappingEnd => return Some(Built::End(end)),
            Event::Scalar(value) => NodeKind::Scalar(value),
            Event::Alias => NodeKind::Alias,
            Event::SequenceStart => {
                let mut items = Vec::new();
                let closed_at = loop {
                    match build_tree(source, events) {
                        Some(Built::Node(item)) => items.push(item),
                        Some(Built::End(at)) => break at,
                        None => break source.len(),
                    }
                };
                let end = collection_end(source, start, closed_at, items.last());
                return Some(Built::Node(Node { start, end, kind: NodeKind::Sequence(items) }));
            }
            Event::MappingStart => {
                let mut entries = Vec::new();
                let closed_at = loop {
                    let key = match build_tree(source, events) {
                        Some(Built::Node(key)) => key,
                        Some(Built::End(at)) => break at,
                        None => break source.len(),
                    };
                    match build_tree(source, events) {
                        Some(Built::Node(value)) => entries.push((key, value)),
                        Some(Built::End(at)) => break at,
                        None => break source.len(),
                    }
                };
                let end = collection_end(source, start, closed_at, entries.last().map(|(_, v)| v));
                return Some(Built::Node(Node { start, end, kind: NodeKind::Mapping(entries) }));
            }
        };
        return Some(Built::Node(Node { start, end, kind }));
    }
}

/// A flow collection ends at its closing bracket; a block collection ends with its last item
/// (libyaml marks its end at whatever comes next, possibly lines further down).
fn collection_end(source: &str, start: usize, closed_at: usize, last: Option<&Node>) -> usize {
    let is_flow = matches!(source.as_bytes().get(start), Some(b'{' | b'['));
    match last {
        Some(last) if !is_flow => last.end,
        _ => closed_at.max(start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "\
title: \"Quoted: title\"
mode: knowledge
questions:
  - prompt: First
    options:
      - text: A
        correct: true
      - { text: 'B', correct: false }
  - type: scale
    points: { closeness: 2, autonomy: -1 }
    accept: [one, \"two\"]
    explanation: |
      Block text
      over lines
";

    fn text_at(span: Span) -> &'static str {
        &SRC[span.offset..span.offset + span.len]
    }

    #[test]
    fn finds_scalars_in_block_and_flow_collections() {
        let map = SourceMap::new(SRC);
        assert_eq!(text_at(map.value(at!["title"]).unwrap()), "\"Quoted: title\"");
        assert_eq!(text_at(map.value(at!["questions", 0, "options", 0, "text"]).unwrap()), "A");
        assert_eq!(text_at(map.value(at!["questions", 0, "options", 1, "text"]).unwrap()), "'B'");
        assert_eq!(text_at(map.value(at!["questions", 0, "options", 1, "correct"]).unwrap()), "false");
        assert_eq!(text_at(map.value(at!["questions", 1, "points", "autonomy"]).unwrap()), "-1");
        assert_eq!(text_at(map.value(at!["questions", 1, "accept", 1]).unwrap()), "\"two\"");
    }

    #[test]
    fn finds_keys_and_collections() {
        let map = SourceMap::new(SRC);
        assert_eq!(text_at(map.key(at!["questions", 1, "points"]).unwrap()), "points");
        assert_eq!(text_at(map.key(at!["questions", 1, "points", "closeness"]).unwrap()), "closeness");
        let flow = map.value(at!["questions", 0, "options", 1]).unwrap();
        assert_eq!(text_at(flow), "{ text: 'B', correct: false }");
        let block = map.value(at!["questions", 0, "options", 0]).unwrap();
        assert!(text_at(block).starts_with("text: A"));
        let options = map.value(at!["questions", 0, "options"]).unwrap();
        assert!(text_at(options).starts_with("- text: A"));
    }

    #[test]
    fn scalar_values_are_unquoted() {
        let map = SourceMap::new(SRC);
        let node = map.node(at!["title"]).unwrap();
        assert_eq!(node.kind, NodeKind::Scalar("Quoted: title".into()));
        let node = map.node(at!["questions", 1, "explanation"]).unwrap();
        assert_eq!(node.kind, NodeKind::Scalar("Block text\nover lines\n".into()));
    }

    #[test]
    fn missing_paths_fall_back_to_the_deepest_existing_node() {
        let map = SourceMap::new(SRC);
        assert_eq!(map.value(at!["questions", 5]), None);
        assert_eq!(map.value(at!["questions", 0, "nope"]), None);
        let fallback = map.value_or_parent(at!["questions", 0, "options", 0, "feedback"]);
        assert_eq!(fallback, map.value(at!["questions", 0, "options", 0]).unwrap());
        assert_eq!(map.key_or_parent(at!["questions", 1, "nope"]), map.value(at!["questions", 1]).unwrap());
    }

    #[test]
    fn offsets_are_bytes_even_after_multibyte_text() {
        let src = "title: Ça va — oui\nmode: knowledge\n";
        let map = SourceMap::new(src);
        let span = map.value(at!["mode"]).unwrap();
        assert_eq!(&src[span.offset..span.offset + span.len], "knowledge");
    }

    #[test]
    fn invalid_yaml_gives_an_empty_map() {
        let map = SourceMap::new("title: [unclosed\n");
        assert!(map.root.is_none());
        assert_eq!(map.value_or_parent(at!["title"]), Span { offset: 0, len: 1 });
    }
}
