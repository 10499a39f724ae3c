/**
 * Reads a port number given on the command line.
 * @throws RangeError naming the option when the text is not an integer from 0 to 65535.
 */
export function parsePort(option: string, text: string): number {
  const port = Number(text);
  if (text.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`${option} must be an integer from 0 to 65535, got '${text}'.`);
  }
  return port;
}
