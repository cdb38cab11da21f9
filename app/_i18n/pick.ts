export type Tree = { [key: string]: string | Tree };

/** The part of `messages` under the given namespaces, nested as in the catalog. */
export function pickMessages(messages: Tree, namespaces: readonly string[]): Tree {
  const picked: Tree = {};
  for (const namespace of namespaces) {
    const parts = namespace.split(".");
    let source: string | Tree | undefined = messages;
    let target = picked;
    for (const [i, part] of parts.entries()) {
      source = typeof source === "object" ? source[part] : undefined;
      if (source === undefined) throw new Error(`no messages under "${namespace}"`);
      if (i === parts.length - 1) target[part] = source;
      else target = (target[part] ??= {}) as Tree;
    }
  }
  return picked;
}

