/**
 * The body of a server's answer as the demo prints it: parsed JSON when it is JSON (OAuth errors,
 * Open Banking resources and `OBErrorResponse1`), else the text as sent, undefined when empty.
 */
export async function readResponseBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
