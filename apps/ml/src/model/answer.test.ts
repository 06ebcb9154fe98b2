import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerFor, verdictOf } from './answer';

const prediction = (probabilities: number[], matchingTrainingRows = 0) => ({
  probabilities,
  matchingTrainingRows,
  missing: [],
  weightsFrom: 'nothing missing' as const,
});

describe('how sure an answer is', () => {
  it('names the margin: tie, near tie, leaning, clear', () => {
    assert.equal(verdictOf(0), 'tie');
    assert.equal(verdictOf(0.034), 'near tie');
    assert.equal(verdictOf(0.05), 'leaning');
    assert.equal(verdictOf(0.149999), 'leaning');
    assert.equal(verdictOf(0.15), 'clear');
  });

  it('gives the runner-up and the margin of the rounded probabilities', () => {
    // The question's figures: low 0.366 against med 0.332.
    const answer = answerFor(prediction([0.172, 0.13, 0.3320004, 0.3659996]), 'v1');
    assert.equal(answer.buying, 'low');
    assert.equal(answer.runnerUp, 'med');
    assert.equal(answer.probabilities.low, 0.366);
    assert.equal(answer.margin, 0.034);
    assert.equal(answer.verdict, 'near tie');
    assert.equal(answer.extrapolation, true);
    assert.match(answer.note, /extrapolation.*low leads med by 0\.034 \(a near tie/);
  });

  it('breaks a tie by the fixed order and says so', () => {
    const answer = answerFor(prediction([0.1, 0.45, 0.45, 0], 12), 'v1');
    assert.equal(answer.buying, 'high');
    assert.equal(answer.runnerUp, 'med');
    assert.equal(answer.margin, 0);
    assert.equal(answer.verdict, 'tie');
    assert.match(answer.note, /^12 training rows .* high and med are tied at 0\.45/);
  });
});
