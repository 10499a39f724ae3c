/** One configuration setting, as the configuration reference lists it. */
export interface ConfigReferenceEntry {
  /** The key in the JSON configuration file, for example `port`. */
  name: string;
  /** The environment variable that sets it, for example `PORT`; empty for file-only settings. */
  env: string;
  /** The kind of value, for a person, for example `integer (1-65535)`. */
  type: string;
  /** The default, as text; empty when there is none. */
  default: string;
  /** What it does. */
  description: string;
}
