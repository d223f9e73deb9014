// Date: a calendar day, "YYYY-MM-DD" (RFC 3339 full-date), between 0001-01-01
// and 9999-12-31, the years PostgreSQL's date and RFC 3339 share. Read as the
// text sent; a day that does not exist ("2023-02-29") is refused like a
// malformed one.
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function fullDate(value: unknown): string {
  const match = typeof value === 'string' ? FULL_DATE.exec(value) : null;
  const [year, month, day] = match ? match.slice(1).map(Number) : [0, 0, 0];
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  date.setUTCFullYear(year!);
  const exists = match !== null && year! >= 1 && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day!;
  if (!exists) throw new GraphQLError('Date must be a calendar day "YYYY-MM-DD" between 0001-01-01 and 9999-12-31.');
  return value as string;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar day, "YYYY-MM-DD" (RFC 3339 full-date).',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
  // A date column is read as midnight UTC of its day.
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : fullDate(value)),
  parseValue: fullDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string "YYYY-MM-DD".');
    return fullDate(ast.value);
  },
});
