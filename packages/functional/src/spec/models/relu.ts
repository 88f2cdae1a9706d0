/**
 * relu as the spec expressions that reproduce tfjs's `relu` — forward (x > 0 ? x : 0) and gradient
 * (1 where x > 0, else 0: tfjs's `step`) — which `max(x, 0)` would not: its derivative takes the
 * first operand at a tie, so it passes the gradient at x = 0, where a refractory counter often is.
 */
import { gt, select, type Expr } from '../expr.js';

/** max(x, 0) with tfjs's relu gradient (none at x = 0). */
export function relu(x: Expr): Expr {
  return select(gt(x, 0), x, 0);
}
