import { builder } from './builder.js';
import { USER_ERROR_CODES, type UserError } from '../errors.js';

export const UserErrorCodeEnum = builder.enumType('UserErrorCode', {
  description: 'Why a mutation refused its input.',
  values: USER_ERROR_CODES,
});

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  description: 'An expected failure of a mutation: bad input, not found, or a conflict. A payload with userErrors has written nothing.',
  fields: (t) => ({
    code: t.field({ type: UserErrorCodeEnum, description: 'What went wrong.', resolve: (e) => e.code }),
    field: t.stringList({
      nullable: true,
      description: 'Path into the mutation arguments, e.g. ["input", "phones", "1", "number"].',
      resolve: (e) => e.field,
    }),
    message: t.exposeString('message', { description: 'A sentence for people.' }),
  }),
});
