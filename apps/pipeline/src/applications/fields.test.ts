import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { cleanMobile, EmailRule, MembershipIds, splitName } from './fields';

describe('splitName', () => {
  it('splits first and last name', () => {
    assert.deepEqual(splitName('Jane Smith'), { firstName: 'Jane', lastName: 'Smith' });
    assert.deepEqual(splitName('  Mary  Ann   Lee '), { firstName: 'Mary Ann', lastName: 'Lee' });
  });

  it('removes every listed title, with or without a dot, in any case', () => {
    for (const title of ['Mr.', 'Mrs.', 'Ms.', 'Miss', 'Dr.', 'Dr', 'MR.', 'miss']) {
      assert.deepEqual(
        splitName(`${title} Jane Smith`),
        { firstName: 'Jane', lastName: 'Smith' },
        title,
      );
    }
  });

  it('removes every listed suffix, with or without a comma', () => {
    for (const suffix of [
      'Jr.',
      'Sr.',
      'II',
      'III',
      'IV',
      'MD',
      'PhD',
      'DDS',
      'DVM',
      'M.D.',
      'Ph.D.',
    ]) {
      assert.deepEqual(
        splitName(`John Smith ${suffix}`),
        { firstName: 'John', lastName: 'Smith' },
        suffix,
      );
      assert.deepEqual(
        splitName(`John Smith, ${suffix}`),
        { firstName: 'John', lastName: 'Smith' },
        suffix,
      );
    }
  });

  it('reads a name written "Last, First" that way round', () => {
    assert.deepEqual(splitName('Lee, Mary Ann'), { firstName: 'Mary Ann', lastName: 'Lee' });
    assert.deepEqual(splitName('Lee,Mary  Ann'), { firstName: 'Mary Ann', lastName: 'Lee' });
    assert.deepEqual(splitName('Lee, Mrs. Mary Ann, PhD'), {
      firstName: 'Mary Ann',
      lastName: 'Lee',
    });
    assert.deepEqual(splitName('van Dyke, Dick'), { firstName: 'Dick', lastName: 'van Dyke' });
    assert.deepEqual(splitName('Lee, Dr.'), { firstName: '', lastName: 'Lee' });
  });

  it('removes a title and a suffix together', () => {
    assert.deepEqual(splitName('Dr. John Smith Jr.'), { firstName: 'John', lastName: 'Smith' });
    assert.deepEqual(splitName('Mrs. Ann Lee, PhD MD'), { firstName: 'Ann', lastName: 'Lee' });
  });

  it('splits on any whitespace, not only spaces', () => {
    assert.deepEqual(splitName('Ann\u00a0Lee'), { firstName: 'Ann', lastName: 'Lee' });
    assert.deepEqual(splitName('Mary\u2003Ann\tLee'), { firstName: 'Mary Ann', lastName: 'Lee' });
  });

  it('makes a one-word name the last name with an empty first name', () => {
    assert.deepEqual(splitName('Madonna'), { firstName: '', lastName: 'Madonna' });
    assert.deepEqual(splitName('Mr. Smith'), { firstName: '', lastName: 'Smith' });
  });

  it('finds no name in empty values or titles and suffixes alone', () => {
    for (const raw of ['', '   ', 'Mr.', 'Dr. Jr.', ', ,'])
      assert.equal(splitName(raw), undefined, raw);
  });
});

describe('cleanMobile', () => {
  it('accepts exactly 8 digits', () => {
    assert.deepEqual(cleanMobile('12345678'), { digits: '12345678' });
    assert.deepEqual(cleanMobile(' 12345678 '), { digits: '12345678' });
    assert.deepEqual(cleanMobile('1234567'), { problem: 'must be 8 digits (has 7)' });
    assert.deepEqual(cleanMobile('123456789'), { problem: 'must be 8 digits (has 9)' });
    assert.deepEqual(cleanMobile('12345'), { problem: 'must be 8 digits (has 5)' });
  });

  it('removes whitespace between digit groups', () => {
    assert.deepEqual(cleanMobile('1234 5678'), { digits: '12345678' });
    assert.deepEqual(cleanMobile('12 34  5678'), { digits: '12345678' });
    assert.deepEqual(cleanMobile('1234 567'), { problem: 'must be 8 digits (has 7)' });
  });

  it('fails on any other character', () => {
    for (const raw of ['12-345678', '+6512345678', '(123)45678', '1234567a', '1234.5678']) {
      assert.deepEqual(cleanMobile(raw), { problem: 'may hold only digits and spaces' }, raw);
    }
    assert.deepEqual(cleanMobile(''), { problem: 'missing' });
  });
});

describe('EmailRule', () => {
  const rule = new EmailRule(['.com', '.net']);

  it('accepts valid .com and .net addresses, case-insensitively', () => {
    assert.deepEqual(rule.check('x@a.com'), { email: 'x@a.com' });
    assert.deepEqual(rule.check('first.last+tag@mail.example.net'), {
      email: 'first.last+tag@mail.example.net',
    });
    assert.deepEqual(rule.check('X@A.COM'), { email: 'x@a.com' });
  });

  it('rejects other endings, including .com.sg and .org', () => {
    for (const raw of ['x@a.com.sg', 'x@a.org', 'x@a.info', 'x@a.biz', 'x@a.comm']) {
      assert.equal(rule.check(raw).problem, 'must end in .com or .net', raw);
    }
  });

  it('rejects invalid syntax', () => {
    for (const raw of [
      'x.com',
      'x@@a.com',
      'x y@a.com',
      '.x@a.com',
      'x..y@a.com',
      'x@-a.com',
      'x@a..com',
      '@a.com',
      'x@.com',
      '"x"@a.com',
    ]) {
      assert.equal(rule.check(raw).problem, 'not a valid address', raw);
    }
    assert.equal(rule.check('  ').problem, 'missing');
  });

  it('supports the stricter reading with whole domains', () => {
    const strict = new EmailRule(['@emailprovider.com', '@emailprovider.net']);
    assert.equal(strict.check('x@emailprovider.com').problem, undefined);
    assert.equal(strict.check('x@emailprovider.net').problem, undefined);
    assert.match(strict.check('x@gmail.com').problem!, /must end in/);
    assert.match(strict.check('x@myemailprovider.com').problem!, /must end in/);
  });
});

describe('MembershipIds', () => {
  it('is the last name and the first 5 hex of the SHA-256 of YYYYMMDD', () => {
    const expected = createHash('sha256').update('19900715').digest('hex').slice(0, 5);
    assert.equal(new MembershipIds().idFor('Smith', 19900715), `Smith_${expected}`);
  });
});
