//! The quiz file as written: serde shapes that mirror the YAML one to one, before any checking.
//!
//! Every field the format allows, in every mode and question type, is here and optional where the
//! format lets it be left out, so that deserializing fails only on what is wrong whatever the
//! mode (an unknown key, a string where a number belongs). Whether a key belongs to *this*
//! question's type or *this* quiz's mode is [`super::check`]'s business: it can say why.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Top-level keys, in the order the docs list them (kept equal to serde's list by a test).
pub const QUIZ_KEYS: &[&str] = &[
    "title",
    "description",
    "mode",
    "intro",
    "display",
    "shuffle",
    "remember",
    "disclaimer",
    "pass",
    "weight",
    "draw",
    "practice",
    "share",
    "dimensions",
    "questions",
    "outcomes",
];
pub const DIMENSION_KEYS: &[&str] = &["id", "label", "aggregate"];
pub const QUESTION_KEYS: &[&str] = &[
    "id",
    "type",
    "prompt",
    "required",
    "options",
    "explanation",
    "points",
    "partial",
    "answer",
    "tolerance",
    "accept",
    "scale",
    "dimension",
    "reverse",
    "weight",
    "items",
    "pairs",
    "distractors",
    "blanks",
    "hint",
    "tests",
];
pub const OPTION_KEYS: &[&str] = &["text", "correct", "points", "feedback"];
pub const PAIR_KEYS: &[&str] = &["left", "right"];
pub const BLANK_KEYS: &[&str] = &["accept", "options"];
pub const SCALE_KEYS: &[&str] = &["min", "max", "labels"];
pub const OUTCOME_KEYS: &[&str] = &["id", "title", "when", "top", "otherwise", "body", "links"];
pub const BOUND_KEYS: &[&str] = &["min", "below"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuiz {
    pub title: String,
    pub description: Option<String>,
    pub mode: RawMode,
    pub intro: Option<String>,
    pub display: Option<Display>,
    pub shuffle: Option<Shuffle>,
    pub remember: Option<bool>,
    pub disclaimer: Option<String>,
    pub pass: Option<f64>,
    pub weight: Option<i64>,
    /// Knowledge: how many of the questions each reader gets (SPEC §3.2); a whole number, checked
    /// later so that `draw: 0` and `draw: -1` get the same clear error.
    pub draw: Option<i64>,
    /// Knowledge: a Check button per question, and "retry the ones I missed" after scoring.
    pub practice: Option<bool>,
    /// After scoring, a link that re-opens the result (default true).
    pub share: Option<bool>,
    pub dimensions: Option<Vec<RawDimension>>,
    pub questions: Vec<RawQuestion>,
    pub outcomes: Option<Vec<RawOutcome>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawMode {
    Knowledge,
    Assessment,
}

/// How the questions are laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Display {
    /// Every question on the page at once.
    #[default]
    All,
    /// One question at a time, with progress.
    Step,
}

/// What the script shuffles when the quiz is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shuffle {
    #[default]
    None,
    Questions,
    Options,
    All,
}

/// How a dimension's contributions become its score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// The total, in question order.
    #[default]
    Sum,
    /// The total divided by the summed weights of the answered questions that can contribute.
    Mean,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDimension {
    pub id: String,
    pub label: Option<String>,
    pub aggregate: Option<Aggregate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionType {
    Single,
    Multiple,
    TrueFalse,
    Scale,
    Text,
    Number,
    Order,
    Match,
    Cloze,
}

impl QuestionType {
    pub fn name(self) -> &'static str {
        match self {
            QuestionType::Single => "single",
            QuestionType::Multiple => "multiple",
            QuestionType::TrueFalse => "truefalse",
            QuestionType::Scale => "scale",
            QuestionType::Text => "text",
            QuestionType::Number => "number",
            QuestionType::Order => "order",
            QuestionType::Match => "match",
            QuestionType::Cloze => "cloze",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub prompt: String,
    pub required: Option<bool>,
    pub options: Option<Vec<RawOption>>,
    pub explanation: Option<String>,
    pub points: Option<f64>,
    pub partial: Option<bool>,
    /// `true`/`false` for truefalse, a number for number: checked against the type later.
    pub answer: Option<yaml_serde::Value>,
    pub tolerance: Option<f64>,
    pub accept: Option<Vec<String>>,
    /// A preset name or `{min, max, labels}`: checked later, where the error can say which.
    pub scale: Option<yaml_serde::Value>,
    pub dimension: Option<String>,
    pub reverse: Option<bool>,
    pub weight: Option<f64>,
    /// order: the items, in their right order.
    pub items: Option<Vec<String>>,
    /// match: each left item with its right-hand answer.
    pub pairs: Option<Vec<RawPair>>,
    /// match: right-hand answers that match nothing.
    pub distractors: Option<Vec<String>>,
    /// cloze: one per `___` in the prompt.
    pub blanks: Option<Vec<RawBlank>>,
    /// Markdown shown only when the reader asks for it.
    pub hint: Option<String>,
    /// Knowledge: the guide section this question checks, as a relative link with `#anchor`.
    pub tests: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPair {
    pub left: String,
    pub right: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBlank {
    pub accept: Option<Vec<String>>,
    pub options: Option<Vec<RawOption>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub text: String,
    pub correct: Option<bool>,
    pub points: Option<BTreeMap<String, f64>>,
    pub feedback: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCustomScale {
    pub min: i64,
    pub max: i64,
    pub labels: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutcome {
    pub id: String,
    pub title: String,
    pub when: Option<BTreeMap<String, RawBound>>,
    pub top: Option<String>,
    /// `true`: the last outcome, taking every score no other takes (SPEC §3.3).
    pub otherwise: Option<bool>,
    pub body: Option<String>,
    pub links: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBound {
    pub min: Option<f64>,
    pub below: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys serde accepts for `T`, read back from its unknown-field error.
    fn serde_keys<T: serde::de::DeserializeOwned + std::fmt::Debug>() -> Vec<String> {
        let message = yaml_serde::from_str::<T>("not-a-key-anywhere: 1").unwrap_err().to_string();
        let expected = message.split("expected").nth(1).unwrap_or_else(|| panic!("{message}"));
        expected.split('`').skip(1).step_by(2).map(str::to_string).collect()
    }

    #[test]
    fn key_lists_match_the_serde_structs() {
        assert_eq!(serde_keys::<RawQuiz>(), QUIZ_KEYS);
        assert_eq!(serde_keys::<RawDimension>(), DIMENSION_KEYS);
        assert_eq!(serde_keys::<RawQuestion>(), QUESTION_KEYS);
        assert_eq!(serde_keys::<RawOption>(), OPTION_KEYS);
        assert_eq!(serde_keys::<RawPair>(), PAIR_KEYS);
        assert_eq!(serde_keys::<RawBlank>(), BLANK_KEYS);
        assert_eq!(serde_keys::<RawCustomScale>(), SCALE_KEYS);
        assert_eq!(serde_keys::<RawOutcome>(), OUTCOME_KEYS);
        assert_eq!(serde_keys::<RawBound>(), BOUND_KEYS);
    }
}

/// The JSON Schema that editors use must know exactly the keys the parser knows.
#[cfg(test)]
mod schema_tests {
    use super::*;

    fn keys(v: &serde_json::Value) -> Vec<String> {
        let mut k: Vec<String> = v["properties"].as_object().expect("properties").keys().cloned().collect();
        k.sort();
        k
    }

    fn sorted(list: &[&str]) -> Vec<String> {
        let mut k: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    }

    #[test]
    fn the_schema_knows_the_same_keys_as_the_parser() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema/quiz.schema.json")).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        let defs = &schema["$defs"];
        assert_eq!(keys(&schema), sorted(QUIZ_KEYS));
        assert_eq!(keys(&schema["properties"]["dimensions"]["items"]), sorted(DIMENSION_KEYS));
        assert_eq!(keys(&defs["question"]), sorted(QUESTION_KEYS));
        assert_eq!(keys(&defs["option"]), sorted(OPTION_KEYS));
        assert_eq!(keys(&defs["pair"]), sorted(PAIR_KEYS));
        assert_eq!(keys(&defs["blank"]), sorted(BLANK_KEYS));
        assert_eq!(keys(&defs["question"]["properties"]["scale"]["oneOf"][1]), sorted(SCALE_KEYS));
        assert_eq!(keys(&defs["outcome"]), sorted(OUTCOME_KEYS));
        assert_eq!(keys(&defs["outcome"]["properties"]["when"]["additionalProperties"]), sorted(BOUND_KEYS));
    }
}
