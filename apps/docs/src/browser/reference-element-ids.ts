/** The element whose JSON text is the Scalar configuration of the API reference page. */
export const SCALAR_CONFIGURATION_ELEMENT_ID = 'scalar-configuration';

/**
 * The element Scalar renders the API reference into. Not `api-reference`: Scalar's bundle mounts itself
 * on an element with that id at load, with that element's text as the spec (its older HTML API).
 */
export const API_REFERENCE_ELEMENT_ID = 'scalar-reference';
