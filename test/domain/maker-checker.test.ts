import t from 'tap'
import fc from 'fast-check'
import type { Actor } from '../../src/domain/actor.js'
import { checkerRefusal, dualControlReason, type Party } from '../../src/domain/maker-checker.js'
import { holds } from './property.js'

// A small pool of keys and people, so generated makers, approvers and checkers often coincide.
const keyId = fc.constantFrom('k1', 'k2', 'k3', 'k4')
const personId = fc.option(fc.constantFrom('p1', 'p2', 'p3'), { nil: null })
const party: fc.Arbitrary<Party> = fc.record({ keyId, personId })
const actor: fc.Arbitrary<Actor> = fc.record({
  keyId, personId, label: fc.constant('key'), role: fc.constantFrom('worker', 'manager', 'finance', 'admin', 'system')
})
const same = (a: Party, b: Party) => a.keyId === b.keyId || (a.personId !== null && a.personId === b.personId)

t.test('dual control: needed exactly when the amount is above the threshold either way, or a cap is overridden', async (t) => {
  holds(t, 'reason given iff |pence| > threshold or overridesCap', fc.property(
    fc.integer({ min: -20_000_000, max: 20_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), fc.boolean(), fc.constantFrom('work', 'adjustment'),
    (pence, threshold, overridesCap, kind) => {
      const reason = dualControlReason({ pence, kind, overridesCap }, threshold)
      return (reason !== undefined) === (Math.abs(pence) > threshold || overridesCap)
    }))
  t.equal(dualControlReason({ pence: 50_000, kind: 'work', overridesCap: false }, 50_000), undefined, '£500.00 against a £500.00 threshold: one approval')
  t.match(dualControlReason({ pence: -50_001, kind: 'adjustment', overridesCap: false }, 50_000), /correction \(£-500.01\) is above the £500.00/)
})

t.test('maker and checker: whoever may approve is a distinct, permitted person at each step', async (t) => {
  holds(t, 'an allowed approval never comes from the worker, a maker, the first approver, or the wrong role', fc.property(
    actor, personId, fc.array(party, { maxLength: 3 }), fc.option(party, { nil: undefined }),
    (checker, worker, makers, firstApprover) => {
      const refusal = checkerRefusal(checker, { workerPersonId: worker ?? 'w', makers, firstApprover }, 'approve')
      if (refusal !== undefined) return true
      const roles = firstApprover === undefined ? ['manager', 'admin'] : ['finance', 'admin']
      return roles.includes(checker.role) &&
        (checker.personId === null || checker.personId !== (worker ?? 'w')) &&
        !makers.some((m) => same(m, checker)) &&
        (firstApprover === undefined || !same(firstApprover, checker))
    }), 2000)
  holds(t, 'rejecting is refused only for role or own entry: it moves no money', fc.property(
    actor, fc.array(party, { maxLength: 3 }), fc.option(party, { nil: undefined }), (checker, makers, firstApprover) => {
      const refusal = checkerRefusal(checker, { workerPersonId: 'w', makers, firstApprover }, 'reject')
      return refusal === undefined || refusal.rule === 'decider_role'
    }))
})
