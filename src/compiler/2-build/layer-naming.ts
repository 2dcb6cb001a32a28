// Keras's layer names: the `name=` argument, or the class name in snake case with a per-class counter
// starting at 1 (`dense_1`, `dense_2`, `conv2d_1`), as Keras 2's `_to_snake_case(cls) + '_' + get_uid(cls)`.
import type { Span } from "../source.js";

const snakeCache = new Map<string, string>();

/** Keras 2's `_to_snake_case`: `Conv2D` → `conv2d`, `MaxPooling2D` → `max_pooling2d`, `PReLU` → `p_re_lu`. */
export function toSnakeCase(className: string): string {
  let snake = snakeCache.get(className);
  if (snake === undefined) {
    snake = computeSnakeCase(className);
    snakeCache.set(className, snake);
  }
  return snake;
}

function computeSnakeCase(className: string): string {
  const intermediate = className.replace(/(.)([A-Z][a-z0-9]+)/g, "$1_$2");
  const snake = intermediate.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
  return snake.startsWith("_") ? `private${snake}` : snake;
}

export interface NameOwner {
  readonly span: Span;
  readonly automatic: boolean;
  /** True for layers constructed inside a block expansion. */
  readonly inBlock: boolean;
}

/** The layer names of one model: hands out automatic names and detects duplicates. */
export class LayerNaming {
  private readonly owners = new Map<string, NameOwner>();
  private readonly counters = new Map<string, number>();

  /**
   * The next automatic name for a class. Keras would clash with a `name=` that looks automatic; kerasc
   * skips names already taken instead, so a clash is only ever reported where a user wrote the name.
   */
  automatic(className: string, span: Span, inBlock: boolean): string {
    const prefix = className === "InputLayer" ? "input" : toSnakeCase(className);
    let n = this.counters.get(prefix) ?? 0;
    let name: string;
    do {
      n++;
      name = `${prefix}_${n}`;
    } while (this.owners.has(name));
    this.counters.set(prefix, n);
    this.owners.set(name, { span, automatic: true, inBlock });
    return name;
  }

  /** Claims a user-given name; returns the previous owner when the name is taken. */
  claim(name: string, span: Span, inBlock: boolean): NameOwner | undefined {
    const owner = this.owners.get(name);
    if (owner) return owner;
    this.owners.set(name, { span, automatic: false, inBlock });
    return undefined;
  }
}
