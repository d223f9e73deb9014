// displayName: first and last name joined by a space (either alone is fine),
// else primary email, else primary phone (E.164), else "Unnamed contact"
// (API.md, Types: Contact.displayName).
export function displayName(contact: {
  firstName: string | null;
  lastName: string | null;
  primaryEmail: string | null;
  primaryPhoneE164: string | null;
}): string {
  const name = [contact.firstName, contact.lastName]
    .map((part) => part?.trim() ?? '')
    .filter((part) => part !== '')
    .join(' ');
  return name || contact.primaryEmail || contact.primaryPhoneE164 || 'Unnamed contact';
}
