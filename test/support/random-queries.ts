// Random valid queries from the schema, for the property "no query makes a 5xx".
// Walks the Query type to a bounded depth, picks fields at random, fills every
// required argument (ids from a pool of real and bogus ones, page sizes in and
// out of range, hostile strings), and skips fields whose arguments it cannot fill.
import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

export interface QueryPools {
  ids: string[];
  strings: string[];
}

type Rand = { nat(max: number): number; pick<T>(items: readonly T[]): T };

function literal(type: GraphQLInputType, rand: Rand, pools: QueryPools, depth = 0): string | null {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items = Array.from({ length: rand.nat(3) + (isNonNullType(type) ? 1 : 0) }, () => literal(nullable.ofType, rand, pools, depth + 1));
    return items.some((i) => i === null) ? null : `[${items.join(', ')}]`;
  }
  if (isEnumType(nullable)) return rand.pick(nullable.getValues()).name;
  if (isInputObjectType(nullable)) {
    if (depth > 2) return null;
    const parts: string[] = [];
    for (const field of Object.values(nullable.getFields())) {
      if (!isNonNullType(field.type) && rand.nat(2) === 0) continue;
      const value = literal(field.type, rand, pools, depth + 1);
      if (value === null) return null;
      parts.push(`${field.name}: ${value}`);
    }
    return `{ ${parts.join(', ')} }`;
  }
  if (isScalarType(nullable)) {
    switch (nullable.name) {
      case 'ID':
        return JSON.stringify(rand.pick(pools.ids));
      case 'Int':
        return String(rand.pick([-1, 0, 1, 5, 100, 101, 2 ** 31 - 1]));
      case 'Float':
        return String(rand.pick([0, -1.5, 1e300]));
      case 'Boolean':
        return rand.pick(['true', 'false']);
      case 'DateTime':
        return JSON.stringify(rand.pick(['2020-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z', '2999-12-31T23:59:59Z']));
      case 'String':
        return JSON.stringify(rand.pick(pools.strings));
      default:
        return null;
    }
  }
  return null;
}

function selection(schema: GraphQLSchema, type: GraphQLNamedType, rand: Rand, pools: QueryPools, depth: number): string {
  if (isUnionType(type) || isInterfaceType(type)) {
    const possible = schema.getPossibleTypes(type);
    const parts = ['__typename'];
    if (isInterfaceType(type) && depth > 0) parts.push(fieldsOf(schema, type.getFields(), rand, pools, depth));
    for (const concrete of possible) if (rand.nat(2) === 0 && depth > 0) parts.push(`... on ${concrete.name} { ${fieldsOf(schema, concrete.getFields(), rand, pools, depth)} }`);
    return parts.filter((p) => p !== '').join(' ');
  }
  if (isObjectType(type)) return fieldsOf(schema, type.getFields(), rand, pools, depth) || '__typename';
  return '__typename';
}

function fieldsOf(schema: GraphQLSchema, fields: Record<string, GraphQLField<unknown, unknown>>, rand: Rand, pools: QueryPools, depth: number): string {
  const chosen: string[] = [];
  for (const field of Object.values(fields)) {
    if (rand.nat(3) === 0) continue;
    const named = getNamedType(field.type);
    if (!isLeafType(named) && depth <= 0) continue;
    const args: string[] = [];
    let fillable = true;
    for (const arg of field.args) {
      if (!isNonNullType(arg.type) && rand.nat(2) === 0) continue;
      const value = literal(arg.type, rand, pools);
      if (value === null) {
        if (isNonNullType(arg.type)) fillable = false;
        continue;
      }
      args.push(`${arg.name}: ${value}`);
    }
    if (!fillable) continue;
    const head = `${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''}`;
    chosen.push(isLeafType(named) ? head : `${head} { ${selection(schema, named, rand, pools, depth - 1)} }`);
  }
  return chosen.join(' ');
}

/** An arbitrary query document over the schema's Query type. */
export function randomQuery(schema: GraphQLSchema, pools: QueryPools, maxDepth = 4): fc.Arbitrary<string> {
  return fc.infiniteStream(fc.nat({ max: 1_000_000 })).map((stream) => {
    const iterator = stream[Symbol.iterator]();
    const rand: Rand = {
      nat: (max) => (max <= 0 ? 0 : (iterator.next().value as number) % (max + 1)),
      pick: (items) => items[(iterator.next().value as number) % items.length]!,
    };
    const body = fieldsOf(schema, schema.getQueryType()!.getFields(), rand, pools, maxDepth) || '__typename';
    return `{ ${body} }`;
  });
}
