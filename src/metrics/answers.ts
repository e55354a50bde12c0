/**
 * Checks of what users hand the public CX formulas (`netPromoterScore`,
 * `csat`, `customerEffortScore`): an answer outside its scale, NaN or a
 * string would otherwise be counted silently (NaN as a detractor, 11 as a
 * promoter).
 */
import { type ErrorCode, RecensioError, describeValue } from '../review/index.js'
import type { CesDirection, MetricScale } from './types.js'

/**
 * Check a scale argument.
 *
 * @param fn The public function, named in the message.
 * @param scale The scale as given.
 * @returns Nothing; throws a `RecensioError` (`invalid_option`) unless `scale` is `{ min, max }` with finite min < max.
 */
export function checkScale(fn: string, scale: unknown): asserts scale is MetricScale {
  const s = scale as Partial<MetricScale> | null
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.min !== 'number' ||
    typeof s.max !== 'number' ||
    !Number.isFinite(s.min) ||
    !Number.isFinite(s.max) ||
    !(s.max > s.min)
  ) {
    const got = typeof s === 'object' && s !== null ? `{ min: ${describeValue(s.min)}, max: ${describeValue(s.max)} }` : describeValue(scale)
    const message = `${fn}: scale: expected { min, max } with min < max, e.g. { min: 1, max: 5 }, got ${got}`
    throw argumentError('invalid_option', 'scale', message)
  }
  // A key beside min and max is a typo or an idea the scale does not have (a step, labels): say so rather than ignore it.
  const unknown = Object.keys(s).filter((k) => k !== 'min' && k !== 'max')
  if (unknown.length > 0) {
    const keys = unknown.map((k) => `"${k}"`).join(', ')
    throw argumentError('invalid_option', 'scale', `${fn}: scale: unknown key${unknown.length > 1 ? 's' : ''} ${keys}: a scale is { min, max }`)
  }
}

/**
 * Check a CES direction argument.
 *
 * @param direction The direction as given.
 * @returns Nothing; throws a `RecensioError` (`invalid_option`) unless it is one of the two directions.
 */
export function checkDirection(direction: unknown): asserts direction is CesDirection {
  if (direction !== 'higher_is_easier' && direction !== 'lower_is_easier') {
    const message = `customerEffortScore: direction: expected "higher_is_easier" or "lower_is_easier", got ${describeValue(direction)}`
    throw argumentError('invalid_option', 'direction', message)
  }
}

/**
 * The answers, each checked to be a finite number on the scale.
 *
 * @param fn The public function, named in the message.
 * @param answers The answers as given.
 * @param scale Their scale.
 * @returns The answers one by one; throws a `RecensioError` naming the first bad answer by position.
 */
export function* checkedAnswers(fn: string, answers: Iterable<number>, scale: MetricScale): Generator<number> {
  if (answers === null || typeof answers !== 'object' || !(Symbol.iterator in answers)) {
    const message = `${fn}: answers: expected an array (or iterable) of numbers, got ${describeValue(answers)}`
    throw argumentError('invalid_type', 'answers', message)
  }
  let i = 0
  for (const a of answers as Iterable<unknown>) {
    if (typeof a !== 'number' || !Number.isFinite(a) || a < scale.min || a > scale.max) {
      const code = typeof a === 'number' && Number.isFinite(a) ? 'out_of_range' : 'invalid_type'
      const message = `${fn}: answers[${i}]: expected a number on ${scale.min}–${scale.max}, got ${describeValue(a)}`
      throw argumentError(code, `answers.${i}`, message)
    }
    yield a
    i++
  }
}

/** A bad argument as a `RecensioError` whose one issue names it. */
function argumentError(code: ErrorCode, field: string, message: string): RecensioError {
  return new RecensioError(code, message, [{ field, code, message }])
}
