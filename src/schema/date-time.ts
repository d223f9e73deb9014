// DateTime as graphql-scalars reads it, limited to the years PostgreSQL and
// RFC 3339 share: "0000-01-01T00:00:00Z" is valid RFC 3339, but PostgreSQL
// has no year 0 and refused it (22008), which reached the client as HTTP 500.
import { GraphQLError, GraphQLScalarType } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

function storable(date: Date): Date {
  const time = date.getTime();
  if (time < EARLIEST || time > LATEST) {
    throw new GraphQLError('DateTime must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.');
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, Date | string>({
  ...DateTimeResolver.toConfig(),
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
  parseValue: (value) => storable(DateTimeResolver.parseValue(value)),
  parseLiteral: (ast, variables) => storable(DateTimeResolver.parseLiteral(ast, variables)),
});
