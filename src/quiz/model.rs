//! The validated quiz: what the rest of tandem works with once a file has passed
//! [`super::check`].
//!
//! The types leave out what the checks ruled out: a knowledge option has `correct` and no
//! points, an assessment option has points and no `correct` ([`Credit`]); a question carries only
//! the fields of its type ([`QuestionKind`]); an outcome has `when`, `top` (with or without
//! `when`) or is the last one, `otherwise` ([`OutcomeRule`]); `pass` exists only in knowledge mode
//! ([`Mode`]).

pub use super::common::{KNOWLEDGE_DIMENSION, Markdown, Mode, Rendering};
pub use super::kinds::{
    Blank, Choice, Cloze, Credit, Match, Multiple, Number, Order, QuestionKind, Scale, ScaleItem, Single,
    Text, TrueFalse,
};
pub use super::raw::{Aggregate, Display, Shuffle};

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
    /// Keep answers in localStorage so a reader can resume (default: knowledge yes, assessment
    /// no, since a self-assessment may be answered on a shared device).
    pub remember: bool,
    /// Knowledge: a Check button per question, and after scoring "Retry the ones I missed".
    pub practice: bool,
    /// After scoring, a link whose fragment carries the answers and re-opens the result.
    pub share: bool,
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
    /// Knowledge: each reader gets this many of the questions (1 ≤ draw ≤ questions), drawn at
    /// random once; scored out of those.
    pub draw: Option<usize>,
}

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
    /// Shown only when the reader asks for it; never changes the score.
    pub hint: Option<Markdown>,
    /// Knowledge: the guide section this question checks (`../guides/x.md#anchor`), resolved
    /// and checked by the build, and linked from the question when it was missed.
    pub tests: Option<SectionLink>,
    /// Knowledge: what a right answer earns (default 1, always > 0). Assessment: `None`, since
    /// assessment questions score through their options and scale items.
    pub points: Option<f64>,
    pub kind: QuestionKind,
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

/// A question's `tests` link, as written, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionLink {
    /// The file part, relative to the quiz file (`../guides/boundaries.md`).
    pub file: String,
    /// The heading id, without `#`; never empty (the check requires one).
    pub anchor: String,
    /// Byte offset of the value in the quiz file, and its length.
    pub offset: usize,
    pub len: usize,
}

/// When an outcome is the result (the first outcome whose rule holds is).
#[derive(Debug, Clone, PartialEq)]
pub enum OutcomeRule {
    /// Every bound holds. An empty list holds for every score.
    When(Vec<Bound>),
    /// `dimension` scores highest (ties among `top` outcomes go to the earliest listed whose
    /// rule holds) and every bound of `when` holds too; `when` is empty for a plain `top`.
    Top { dimension: String, when: Vec<Bound> },
    /// The last outcome: every score that no other outcome takes.
    Otherwise,
}

impl OutcomeRule {
    /// The `when` bounds, of a `when` or a `top` outcome.
    pub fn bounds(&self) -> &[Bound] {
        match self {
            OutcomeRule::When(bounds) | OutcomeRule::Top { when: bounds, .. } => bounds,
            OutcomeRule::Otherwise => &[],
        }
    }

    /// The dimension of a `top` outcome.
    pub fn top(&self) -> Option<&str> {
        match self {
            OutcomeRule::Top { dimension, .. } => Some(dimension),
            OutcomeRule::When(_) | OutcomeRule::Otherwise => None,
        }
    }
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

impl Question {
    /// Whether answering can add to `dimension` (and so, for `mean`, counts in its divisor).
    pub fn contributes_to(&self, dimension: &str) -> bool {
        self.kind.contributes_to(dimension)
    }
}

impl Quiz {
    /// The dimension ids, in order.
    pub fn dimension_ids(&self) -> Vec<&str> {
        self.dimensions.iter().map(|d| d.id.as_str()).collect()
    }

    /// The position of dimension `id` in [`Quiz::dimensions`].
    pub fn dimension_index(&self, id: &str) -> Option<usize> {
        self.dimensions.iter().position(|d| d.id == id)
    }

    /// The outcome a reader with these dimension scores (in [`Quiz::dimensions`] order) gets:
    /// the first whose `when` holds and, for `top`, whose dimension has the highest score (a tie
    /// goes to the earliest listed, which is the first one this finds), else `otherwise`.
    pub fn outcome_for(&self, scores: &[f64]) -> Option<&Outcome> {
        let highest = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let is_highest: Vec<bool> = scores.iter().map(|s| *s == highest).collect();
        let bounds_hold = |bounds: &[Bound]| {
            bounds.iter().all(|b| self.dimension_index(&b.dimension).is_some_and(|i| b.holds(scores[i])))
        };
        self.outcomes.iter().find(|outcome| match &outcome.rule {
            OutcomeRule::When(bounds) => bounds_hold(bounds),
            OutcomeRule::Top { dimension, when } => {
                self.top_holds(dimension, &is_highest) && bounds_hold(when)
            }
            OutcomeRule::Otherwise => true,
        })
    }

    /// Whether `dimension` has "the strictly highest score" (SPEC §3) given which dimensions share
    /// the highest score: it must be among them, and so must only dimensions that some `top`
    /// outcome names (a tie among `top` outcomes goes to the earliest listed; a tie with a
    /// dimension no outcome tops is not a win).
    pub fn top_holds(&self, dimension: &str, is_highest: &[bool]) -> bool {
        let topped = |id: &str| self.outcomes.iter().any(|o| o.rule.top() == Some(id));
        self.dimension_index(dimension).is_some_and(|i| is_highest[i])
            && self.dimensions.iter().zip(is_highest).all(|(d, &high)| !high || topped(&d.id))
    }

    /// Every outcome link, with the byte offset where it was written, for the build to resolve
    /// and to report at file:line when it is broken.
    pub fn outcome_links(&self) -> Vec<(&str, usize)> {
        self.outcomes.iter().flat_map(|o| o.links.iter().map(|l| (l.target.as_str(), l.offset))).collect()
    }

    /// Every question's `tests` link, with its question, for the build to check and resolve.
    pub fn tests_links(&self) -> impl Iterator<Item = (&Question, &SectionLink)> {
        self.questions.iter().filter_map(|q| Some((q, q.tests.as_ref()?)))
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
            all.extend(q.kind.markdown());
            all.extend(q.explanation.iter().map(|m| (m, Block)));
            all.extend(q.hint.iter().map(|m| (m, Block)));
        }
        for o in &self.outcomes {
            all.extend(o.body.iter().map(|m| (m, Block)));
        }
        all.sort_by_key(|(m, _)| m.offset);
        all
    }
}
