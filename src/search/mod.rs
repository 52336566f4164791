//! Full-text search (SPEC §2.2): the index the theme's search script reads, written at build time
//! from the text tandem already rendered. The format is described in docs/search.md.
//!
//! The interface is narrow on purpose: the renderer hands over, per page, its URL, title and
//! sections of plain text (the Markdown pass collects them as it writes a page's HTML, with
//! [`extract::Collector`]; [`extract::sections`] reads them from a snippet of HTML), and gets
//! back the files to write. Nothing here knows about templates, quizzes or the output folder.

pub mod extract;
pub mod index;
pub mod text;

pub use index::{Index, build};

/// A file to write: its path in the output, and its bytes.
pub type File = (String, Vec<u8>);

/// The folder of the output that holds the index.
pub const DIR: &str = "search";

/// One searchable page: a guide, a quiz or a section page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// With the base path, as a link to the page.
    pub url: String,
    pub title: String,
    pub sections: Vec<Section>,
}

/// The text under one heading (or before the first one, where `heading` and `anchor` are empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// The heading's text, plain.
    pub heading: String,
    /// The heading's id, without `#`.
    pub anchor: String,
    /// Plain text, white space collapsed.
    pub text: String,
}
