import { ATTACKS, AttackOutcome, explain } from './attack-catalogue';

const outcome = (changes: Partial<AttackOutcome>): AttackOutcome => ({
  status: 401,
  wwwAuthenticate: null,
  steps: [],
  ...changes,
});

describe('attack catalogue (what each attack expects, and why)', () => {
  const attack = (id: string) => ATTACKS.find((a) => a.id === id)!;

  it('has the seven attacks of the walkthrough, each with its own id and one sentence', () => {
    expect(ATTACKS.map((a) => a.id)).toEqual([
      'bearer-replay',
      'dpop-as-bearer',
      'no-proof',
      'replayed-proof',
      'wrong-url',
      'foreign-key',
      'old-iat',
    ]);
    for (const a of ATTACKS) {
      // The outcome (Blocked, Got through) is shown beside it: the sentence gives the reason.
      expect(a.why)
        .withContext(a.id)
        .toMatch(/^[A-Z][^.]+.*\.$/);
      expect(a.why)
        .withContext(a.id)
        .not.toMatch(/^(Accepted|Refused|Blocked)/);
      expect(a.why.split('. ').length).withContext(a.id).toBeLessThanOrEqual(2);
    }
  });

  it('expects the bearer token to be accepted, and only that one', () => {
    expect(ATTACKS.filter((a) => a.expected.status === 200).map((a) => a.id)).toEqual([
      'bearer-replay',
    ]);
    expect(attack('bearer-replay').needs).toBe('Bearer');
    expect(ATTACKS.filter((a) => a.needs === 'DPoP').length).toBe(6);
  });

  it('gives the attack’s own reason when the API answers as expected', () => {
    const verdict = explain(
      attack('replayed-proof'),
      outcome({ status: 401, error: 'invalid_dpop_proof' }),
    );
    expect(verdict).toEqual({
      outcome: 'blocked',
      asExpected: true,
      why: attack('replayed-proof').why,
    });
    expect(verdict.why).toContain('§11.1');
    expect(explain(attack('bearer-replay'), outcome({ status: 200 }))).toEqual(
      jasmine.objectContaining({ outcome: 'got-through', asExpected: true }),
    );
  });

  it('maps each expected refusal to its error code', () => {
    expect(
      Object.fromEntries(
        ATTACKS.map((a) => [a.id, `${a.expected.status} ${a.expected.error ?? ''}`.trim()]),
      ),
    ).toEqual({
      'bearer-replay': '200',
      'dpop-as-bearer': '401 invalid_token',
      'no-proof': '400 invalid_request',
      'replayed-proof': '401 invalid_dpop_proof',
      'wrong-url': '401 invalid_dpop_proof',
      'foreign-key': '401 invalid_token',
      'old-iat': '401 invalid_dpop_proof',
    });
  });

  it('says so when a refusal has another reason, quoting the server', () => {
    const verdict = explain(
      attack('foreign-key'),
      outcome({ status: 401, error: 'invalid_dpop_proof', description: 'bad htu' }),
    );
    expect(verdict.asExpected).toBeFalse();
    expect(verdict.outcome).toBe('blocked');
    expect(verdict.why).toBe(
      'Blocked (401 invalid_dpop_proof) for another reason than usual: bad htu',
    );
  });

  it('flags an attack that got through though the API should have blocked it', () => {
    const verdict = explain(attack('no-proof'), outcome({ status: 200 }));
    expect(verdict).toEqual(
      jasmine.objectContaining({ outcome: 'got-through', asExpected: false }),
    );
    expect(verdict.why).toContain('should have blocked');
  });

  it('tells no answer (status 0) and a server failure from a block', () => {
    const none = explain(attack('old-iat'), outcome({ status: 0 }));
    expect(none.outcome).toBe('no-answer');
    expect(none.why).toContain('did not answer');
    const failed = explain(attack('old-iat'), outcome({ status: 503 }));
    expect(failed.outcome).toBe('server-error');
    expect(failed.why).toContain('503');
  });
});
