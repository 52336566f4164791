// Builders for client data (docs/dev/quiz-contract.md §1) with the defaults the Rust side fills in,
// so the tests state only what matters to them.

const QDEFAULTS = { required: true, points: 1, partial: false };

/** A question: `opts` of single/multiple may be booleans (knowledge: correct) or points maps (assessment). */
export function question(id, type, extra = {}) {
  const q = { id, type, ...QDEFAULTS, ...extra };
  if (type === 'scale') {
    delete q.points;
    delete q.partial;
    Object.assign(q, { min: 1, max: 5, reverse: false, weight: 1, ...extra });
  }
  if (type === 'number') q.tolerance ??= 0;
  if (q.options) {
    q.options = q.options.map((o) => (typeof o === 'boolean' ? { correct: o, points: {} } : { correct: false, points: o }));
  }
  return q;
}

export function knowledgeQuiz(questions, { pass = null, outcomes = [] } = {}) {
  return {
    id: 'k', mode: 'knowledge', hash: '00000000', display: 'all', shuffle: 'none', remember: true, pass,
    dimensions: [{ id: 'score', aggregate: 'sum', min: 0, max: 100 }],
    questions, outcomes,
  };
}

/** dims: { id: 'sum' | 'mean' } */
export function assessmentQuiz(dims, questions, outcomes = []) {
  return {
    id: 'a', mode: 'assessment', hash: '00000000', display: 'all', shuffle: 'none', remember: true, pass: null,
    dimensions: Object.entries(dims).map(([id, aggregate]) => ({ id, aggregate, min: 0, max: 10 })),
    questions, outcomes,
  };
}

/** `when` outcome: bounds { dim: [min, below] } with null for an open bound. */
export const when = (id, bounds) => ({
  id, when: Object.fromEntries(Object.entries(bounds).map(([d, [min, below]]) => [d, { min, below }])),
});
/** `top` outcome, with optional `when` bounds as for `when` (both must hold). */
export const top = (id, dim, bounds) => (bounds ? { ...when(id, bounds), top: dim } : { id, top: dim });
/** The last outcome: every score no other outcome takes. */
export const otherwise = (id) => ({ id, otherwise: true });
