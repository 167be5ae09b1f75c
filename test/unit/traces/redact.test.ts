// Redaction of trace text: each kind of secret is replaced, the text around it is kept, configured patterns add to
// the built-in ones and a bad configured pattern is reported by its index.
import assert from 'node:assert/strict';
import { REDACTED, Redactor } from '../../../src/core/traces/redact';

describe('trace redaction', () => {
  const r = new Redactor();

  const cases: [string, string, string][] = [
    ['anthropic key', 'curl -H "x-api-key: sk-ant-api03-AbCdEfGhIjKlMnOpQrSt_uv"', `curl -H "x-api-key: ${REDACTED}"`],
    ['openai key', 'OPENAI=sk-proj-1234567890abcdefghij done', `OPENAI=${REDACTED} done`],
    ['github token', 'git push https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/x', `git push https://${REDACTED}@github.com/x`],
    ['github pat', 'token github_pat_11ABCDEFG0123456789_abcdefghij', `token ${REDACTED}`],
    ['aws key id', 'aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE', `aws configure set aws_access_key_id ${REDACTED}`],
    ['slack token', 'SLACK xoxb-1234567890-abcdefghij', `SLACK ${REDACTED}`],
    ['bearer', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', `Authorization: Bearer ${REDACTED}`],
    ['env password', 'DB_PASSWORD=hunter2 npm start', `DB_PASSWORD=${REDACTED} npm start`],
    ['quoted env secret', 'export API_KEY="a b c" && run', `export API_KEY=${REDACTED} && run`],
    ['flag password', 'mysql --password=s3cret -u root', `mysql --password=${REDACTED} -u root`],
    ['url password', 'psql postgres://admin:pa55word@db:5432/app', `psql postgres://admin:${REDACTED}@db:5432/app`],
    ['json field', '{"user":"a","password":"p\\"w"}', `{"user":"a","password":"${REDACTED}"}`],
  ];
  for (const [name, input, expected] of cases) {
    it(`redacts ${name}`, () => assert.equal(r.redact(input), expected));
  }

  it('redacts a private key block whole, even an unterminated one', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\nAAAA\n-----END OPENSSH PRIVATE KEY-----';
    assert.equal(r.redact(`before\n${key}\nafter`), `before\n${REDACTED}\nafter`);
    assert.equal(r.redact('x -----BEGIN RSA PRIVATE KEY-----\nMIIE'), `x ${REDACTED}`);
  });

  it('leaves ordinary text alone', () => {
    const text = 'npm test -- --grep "sk-short" && echo PASSWORD is required; see https://example.com/a:b';
    assert.equal(r.redact(text), text);
  });

  it('redacts every string of a nested value and keeps its shape', () => {
    const out = new Redactor().redactValue({ command: 'TOKEN=abc123 run', n: 3, list: ['Bearer abcdefghijkl'] });
    assert.deepEqual(out, { command: `TOKEN=${REDACTED} run`, n: 3, list: [`Bearer ${REDACTED}`] });
  });

  it('applies configured patterns and reports a bad one by index', () => {
    const custom = new Redactor(['corp-[0-9]{6}', '(unclosed', '']);
    assert.equal(custom.redact('id corp-123456 ok'), `id ${REDACTED} ok`);
    assert.deepEqual(custom.problems.map((p) => p.index), [1, 2]);
    assert.match(custom.problems[0]!.message, /redactPatterns\[1\]/);
  });
});
