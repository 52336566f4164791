//! The validated quiz: what the rest of tandem works with once a file has passed
//! [`super::check`].
//!
//! The types leave out what the checks ruled out: a knowledge option has `correct` and no
//! points, an assessment option has points and no `correct` ([`Credit`]); a question carries only
//! the fields of its type ([`QuestionKind`]); an outcome has `when` or `top`, never both
//! ([`OutcomeRule`]); `pass` exists only in knowledge mode ([`Mode`]).

pub use super::raw::{Aggregate, Display, Shuffle};

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

#[derive(Debug, Clone, PartialEq)]
pub struct Quiz {
    /// The file stem; unique across the site.
    pub id: String,
    pub title: String,
    pub description: Option<Markdown>,
    pub mode: Mode,
    pub intro: Option<Markdown>,
    pub display: Display,
    pub shuffle: Shuffle,
    /// Keep answers in localStorage so a reader can resume.
    pub remember: bool,
    pub disclaimer: Option<Markdown>,
    /// Place in its section's listing.
    pub weight: i64,
    /// Knowledge: exactly one, `score`. Assessment: as declared, at least one.
    pub dimensions: Vec<Dimension>,
    /// At least one.
    pub questions: Vec<Question>,
    /// Empty only in knowledge mode (the result then shows just the score).
    pub outcomes: Vec<Outcome>,
    /// FNV-1a 32 of the file's bytes: the localStorage key changes when the quiz does.
    pub hash: u32,
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
}

/// The id of the one dimension a knowledge quiz has.
pub const KNOWLEDGE_DIMENSION: &str = "score";

#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub id: String,
    /// As written, or the id when the author gave none; empty for knowledge's implicit `score`
    /// (the theme names it, so it can be translated).
    pub label: String,
    pub aggregate: Aggregate,
    /// The lowest score a reader can reach on this dimension (from the outcome analysis).
    pub min: f64,
    /// The highest score a reader can reach on this dimension.
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// As written, or `q` + its 1-based position.
    pub id: String,
    pub prompt: Markdown,
    pub required: bool,
    pub explanation: Option<Markdown>,
    /// Knowledge: what a right answer earns (default 1, always > 0). Assessment: `None`, since
    /// assessment questions score through their options and scale items.
    pub points: Option<f64>,
    pub kind: QuestionKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    /// Pick one option.
    Single { options: Vec<Choice> },
    /// Pick any number of options. `partial` (knowledge only) gives partial credit.
    Multiple { options: Vec<Choice>, partial: bool },
    /// Knowledge: a statement that is true or false.
    TrueFalse { answer: bool },
    /// Assessment: a Likert item adding `weight × value` to `dimension`, the value reversed
    /// (`min + max − value`) when `reverse`.
    Scale { scale: Scale, dimension: String, reverse: bool, weight: f64 },
    /// Knowledge: short answer; right when it normalises to one of `accept` (kept as written;
    /// see [`super::normalize`]).
    Text { accept: Vec<String> },
    /// Knowledge: right when within `tolerance` of `answer`.
    Number { answer: f64, tolerance: f64 },
}

impl QuestionKind {
    /// The type's name as written in YAML.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multiple { .. } => "multiple",
            QuestionKind::TrueFalse { .. } => "truefalse",
            QuestionKind::Scale { .. } => "scale",
            QuestionKind::Text { .. } => "text",
            QuestionKind::Number { .. } => "number",
        }
    }

    /// The options of a single or multiple question; empty for other types.
    pub fn options(&self) -> &[Choice] {
        match self {
            QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => options,
            _ => &[],
        }
    }
}

/// An option of a single or multiple question.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// Inline Markdown.
    pub text: Markdown,
    pub feedback: Option<Markdown>,
    pub credit: Credit,
}

/// What picking an option does, by mode.
#[derive(Debug, Clone, PartialEq)]
pub enum Credit {
    /// Knowledge: whether the option is right.
    Correct(bool),
    /// Assessment: points per dimension id, in the quiz's dimension order. Never empty.
    Points(Vec<(String, f64)>),
}

impl Credit {
    pub fn is_correct(&self) -> bool {
        matches!(self, Credit::Correct(true))
    }

    /// The points this option gives `dimension`, if it names it.
    pub fn points_for(&self, dimension: &str) -> Option<f64> {
        match self {
            Credit::Points(points) => points.iter().find(|(d, _)| d == dimension).map(|(_, p)| *p),
            Credit::Correct(_) => None,
        }
    }
}

/// The answers a scale item offers: consecutive integers from `min` to `max`.
#[derive(Debug, Clone, PartialEq)]
pub enum Scale {
    /// Strongly disagree … strongly agree, 1–5.
    Agree5,
    /// Strongly disagree … strongly agree, 1–7.
    Agree7,
    /// Never … always, 1–5.
    Frequency5,
    /// The author's own range; `labels` is empty or has one label per value.
    Custom { min: i64, max: i64, labels: Vec<String> },
}

impl Scale {
    pub fn min(&self) -> i64 {
        match self {
            Scale::Custom { min, .. } => *min,
            _ => 1,
        }
    }

    pub fn max(&self) -> i64 {
        match self {
            Scale::Agree5 | Scale::Frequency5 => 5,
            Scale::Agree7 => 7,
            Scale::Custom { max, .. } => *max,
        }
    }

    /// The preset's name, or `"custom"`.
    pub fn preset(&self) -> &'static str {
        match self {
            Scale::Agree5 => "agree5",
            Scale::Agree7 => "agree7",
            Scale::Frequency5 => "frequency5",
            Scale::Custom { .. } => "custom",
        }
    }

    /// The value a pick counts for: itself, or mirrored within the range when `reverse`.
    pub fn value(&self, picked: i64, reverse: bool) -> i64 {
        if reverse { self.min() + self.max() - picked } else { picked }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub id: String,
    pub title: String,
    pub body: Option<Markdown>,
    /// Relative source paths (`../guides/x.md#anchor`), resolved by the build.
    pub links: Vec<OutcomeLink>,
    pub rule: OutcomeRule,
}

/// A link from an outcome to a guide, as written, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeLink {
    pub target: String,
    pub offset: usize,
}

/// When an outcome is the result.
#[derive(Debug, Clone, PartialEq)]
pub enum OutcomeRule {
    /// Every bound holds. An empty list holds for every score.
    When(Vec<Bound>),
    /// This dimension scores highest; ties among `top` outcomes go to the earliest listed.
    Top(String),
}

/// `min ≤ value < below` on one dimension; an absent bound is open.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub dimension: String,
    pub min: Option<f64>,
    pub below: Option<f64>,
}

impl Bound {
    pub fn holds(&self, value: f64) -> bool {
        self.min.is_none_or(|min| min <= value) && self.below.is_none_or(|below| value < below)
    }
}

impl Quiz {
    /// The position of dimension `id` in [`Quiz::dimensions`].
    pub fn dimension_index(&self, id: &str) -> Option<usize> {
        self.dimensions.iter().position(|d| d.id == id)
    }

    /// The outcome a reader with these dimension scores (in [`Quiz::dimensions`] order) gets:
    /// the first whose `when` holds, or whose `top` dimension has the highest score (a tie
    /// goes to the earliest listed, which is the first one this finds).
    pub fn outcome_for(&self, scores: &[f64]) -> Option<&Outcome> {
        let highest = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let is_highest: Vec<bool> = scores.iter().map(|s| *s == highest).collect();
        self.outcomes.iter().find(|outcome| match &outcome.rule {
            OutcomeRule::When(bounds) => {
                bounds.iter().all(|b| self.dimension_index(&b.dimension).is_some_and(|i| b.holds(scores[i])))
            }
            OutcomeRule::Top(dimension) => self.top_holds(dimension, &is_highest),
        })
    }

    /// Whether `dimension` has "the strictly highest score" (SPEC §3) given which dimensions share
    /// the highest score: it must be among them, and so must only dimensions that some `top`
    /// outcome names (a tie among `top` outcomes goes to the earliest listed; a tie with a
    /// dimension no outcome tops is not a win).
    pub fn top_holds(&self, dimension: &str, is_highest: &[bool]) -> bool {
        let topped =
            |id: &str| self.outcomes.iter().any(|o| matches!(&o.rule, OutcomeRule::Top(d) if d == id));
        self.dimension_index(dimension).is_some_and(|i| is_highest[i])
            && self.dimensions.iter().zip(is_highest).all(|(d, &high)| !high || topped(&d.id))
    }

    /// Every outcome link, with the byte offset where it was written, for the build to resolve
    /// and to report at file:line when it is broken.
    pub fn outcome_links(&self) -> Vec<(&str, usize)> {
        self.outcomes.iter().flat_map(|o| o.links.iter().map(|l| (l.target.as_str(), l.offset))).collect()
    }

    /// Every Markdown string in the quiz, in file order, and how it is rendered.
    pub fn markdown(&self) -> Vec<(&Markdown, Rendering)> {
        use Rendering::{Block, Inline};
        let mut all = Vec::new();
        all.extend(self.description.iter().map(|m| (m, Inline)));
        all.extend(self.intro.iter().map(|m| (m, Block)));
        all.extend(self.disclaimer.iter().map(|m| (m, Block)));
        for q in &self.questions {
            all.push((&q.prompt, Block));
            for option in q.kind.options() {
                all.push((&option.text, Inline));
                all.extend(option.feedback.iter().map(|m| (m, Block)));
            }
            all.extend(q.explanation.iter().map(|m| (m, Block)));
        }
        for o in &self.outcomes {
            all.extend(o.body.iter().map(|m| (m, Block)));
        }
        all.sort_by_key(|(m, _)| m.offset);
        all
    }
}
