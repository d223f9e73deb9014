import { builder } from './builder.js';
import { ContactMatchKey, ContactSource, EmailType, PhoneType } from '../generated/prisma/enums.js';
import { MESSAGE_CHANNELS } from '../contacts/seed-fields.js';

export const EmailTypeEnum = builder.enumType(EmailType, {
  name: 'EmailType',
  description: 'What an email address is used for. OTHER when not given.',
});

export const PhoneTypeEnum = builder.enumType(PhoneType, {
  name: 'PhoneType',
  description: 'What a phone number is used for. OTHER when not given.',
});

export const ContactSourceEnum = builder.enumType(ContactSource, {
  name: 'ContactSource',
  description: 'Where a contact came from. Mutations default to API.',
});

export const ContactMatchKeyEnum = builder.enumType(ContactMatchKey, {
  name: 'ContactMatchKey',
  description: 'A key by which upsertContact finds an existing contact.',
});

export const MessageChannelEnum = builder.enumType('MessageChannel', {
  values: MESSAGE_CHANNELS,
  description: 'A channel a contact can be messaged on.',
});
