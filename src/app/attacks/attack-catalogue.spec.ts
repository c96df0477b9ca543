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
      expect(a.why)
        .withContext(a.id)
        .toMatch(/^(Accepted|Refused): [^.]+.*\.$/);
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
      accepted: false,
      asExpected: true,
      why: attack('replayed-proof').why,
    });
    expect(verdict.why).toContain('§11.1');
    expect(explain(attack('bearer-replay'), outcome({ status: 200 }))).toEqual(
      jasmine.objectContaining({ accepted: true, asExpected: true }),
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
    expect(verdict.why).toBe(
      'Refused (401 invalid_dpop_proof) for another reason than usual: bad htu',
    );
  });

  it('flags an attack the API should have refused but accepted', () => {
    const verdict = explain(attack('no-proof'), outcome({ status: 200 }));
    expect(verdict).toEqual(jasmine.objectContaining({ accepted: true, asExpected: false }));
    expect(verdict.why).toContain('should have refused');
  });

  it('says the API did not answer when there is no response', () => {
    expect(explain(attack('old-iat'), outcome({ status: 0 })).why).toContain('did not answer');
  });
});
