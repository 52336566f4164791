//! What the quiz model and every question type share: Markdown strings with where they were
//! written, and the quiz's mode.

/// A Markdown string from the quiz file, with the byte offset of the YAML node it came from, so
/// the build can report a problem inside it (a broken link) at file:line.
#[derive(Debug, Clone, PartialEq)]
pub struct Markdown {
    pub text: String,
    pub offset: usize,
}

/// Whether a Markdown string is rendered as a block (paragraphs) or inline (inside a label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    Block,
    Inline,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// Right and wrong answers; one implicit dimension, `score` (0–100).
    Knowledge {
        /// Pass mark in percent, 0–100.
        pass: Option<f64>,
    },
    /// No right answers; options and scale items add points to dimensions.
    Assessment,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Knowledge { .. } => "knowledge",
            Mode::Assessment => "assessment",
        }
    }

    pub fn pass(self) -> Option<f64> {
        match self {
            Mode::Knowledge { pass } => pass,
            Mode::Assessment => None,
        }
    }

    pub fn is_knowledge(self) -> bool {
        matches!(self, Mode::Knowledge { .. })
    }
}

/// The id of the one dimension a knowledge quiz has.
pub const KNOWLEDGE_DIMENSION: &str = "score";
