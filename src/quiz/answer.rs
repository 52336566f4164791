//! A reader's answers as the form gives them (contract §2), before any question reads them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A reader's answers: question id → value. Unanswered questions are absent.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Answers(pub BTreeMap<String, Answer>);

/// One answer as the form gives it (contract §2). Which shape is right depends on the question;
/// an answer of the wrong shape counts as no answer.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// truefalse.
    Flag(bool),
    /// single (option index), scale (the value picked), number (the number typed).
    Number(f64),
    /// text.
    Text(String),
    /// multiple: option indices; order: each item's position; match: each left item's answer
    /// index; cloze with drop-downs only: each blank's option index.
    Picks(Vec<f64>),
    /// cloze: per blank, the text typed or the option index picked.
    Blanks(Vec<Fill>),
    /// Anything else (`null`, an object, a list of strings): never fits a question, so it
    /// counts as no answer instead of making the whole answers object unreadable.
    Unfit(serde_json::Value),
}

impl Answer {
    /// The list answered, for the types that answer with one (multiple, order, match).
    pub fn picks(&self) -> Option<&[f64]> {
        match self {
            Answer::Picks(picks) => Some(picks),
            Answer::Flag(_) | Answer::Number(_) | Answer::Text(_) | Answer::Blanks(_) | Answer::Unfit(_) => {
                None
            }
        }
    }
}

/// What fills one cloze blank.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Fill {
    /// A drop-down's option index.
    Index(f64),
    /// A typed blank's text.
    Text(String),
}

/// `x` as an index below `len`, when it is a whole number in range.
pub fn index(x: f64, len: usize) -> Option<usize> {
    (x.fract() == 0.0 && x >= 0.0 && x < len as f64).then_some(x as usize)
}
