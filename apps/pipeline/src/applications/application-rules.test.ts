import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprint } from '../duplicates/fingerprints';
import { ApplicationRules, RawApplication } from './application-rules';

const rules = new ApplicationRules({
  referenceDate: 20220101,
  minAge: 18,
  emailEndings: ['.com', '.net'],
  today: 20261121,
});
const raw = (overrides: Partial<RawApplication> = {}): RawApplication => ({
  name: 'Dr. Jane Smith Jr.',
  email: 'Jane.Smith@Example.com',
  dateOfBirth: '1990-07-15',
  mobileNo: '1234 5678',
  ...overrides,
});

describe('ApplicationRules', () => {
  it('cleans a successful application, keeps its email as written, and gives it an id', () => {
    const result = rules.evaluate(raw(), { ymd: 19900715 });
    assert.equal(result.ok, true);
    if (!result.ok) return;
    const [first, last, email, dob, mobile, above18, id] = result.row;
    assert.deepEqual(
      [first, last, email, dob, mobile, above18],
      ['Jane', 'Smith', 'Jane.Smith@Example.com', '19900715', '12345678', 'true'],
    );
    assert.match(id, /^Smith_[0-9a-f]{5}$/);
  });

  it('gives a failed row the fields that could be cleaned', () => {
    const result = rules.evaluate(raw({ name: 'Lee, Mary Ann', mobileNo: '1234' }), {
      ymd: 20100101,
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      [...result.cleaned, result.above18],
      ['Mary Ann', 'Lee', '20100101', '', 'false'],
    );
    const unparsed = rules.evaluate(raw({ name: 'Mr.' }), { problem: 'missing' });
    assert.equal(unparsed.ok, false);
    if (!unparsed.ok) assert.deepEqual(unparsed.cleaned, ['', '', '', '12345678']);
  });

  it('lists every failed rule', () => {
    const result = rules.evaluate(raw({ name: '', mobileNo: '12-345678', email: 'x@a.org' }), {
      ymd: 20040102,
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.reasons, [
      'name: missing',
      'mobile_no: may hold only digits and spaces',
      'date_of_birth: under 18 on 2022-01-01',
      'email: must end in .com or .net',
    ]);
    assert.equal(result.above18, 'false');
  });

  it('keeps above_18 empty when the birthday does not parse', () => {
    const result = rules.evaluate(raw(), { problem: 'impossible date "1996/02/31"' });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.above18, '');
    assert.deepEqual(result.reasons, ['date_of_birth: impossible date "1996/02/31"']);
  });

  it('accepts born 2004-01-01 and refuses 2004-01-02', () => {
    assert.equal(rules.evaluate(raw(), { ymd: 20040101 }).ok, true);
    assert.equal(rules.evaluate(raw(), { ymd: 20040102 }).ok, false);
  });

  it('fails future birthdays and those before 1900', () => {
    for (const ymd of [20300101, 18991231]) {
      const result = rules.evaluate(raw(), { ymd });
      assert.equal(result.ok, false);
      assert.equal(result.ok ? '' : result.above18, '');
    }
  });

  it('gives equal duplicate keys to applications equal after cleaning', () => {
    const key = (parts: readonly string[]) => {
      const out = new Uint32Array(2);
      fingerprint(parts, out);
      return [...out];
    };
    const a = key(rules.evaluate(raw(), { ymd: 19900715 }).duplicateKey);
    const b = key(
      rules.evaluate(
        raw({ name: 'jane  smith', email: ' JANE.SMITH@example.com', mobileNo: '12345678' }),
        {
          ymd: 19900715,
        },
      ).duplicateKey,
    );
    const c = key(rules.evaluate(raw({ mobileNo: '87654321' }), { ymd: 19900715 }).duplicateKey);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});
