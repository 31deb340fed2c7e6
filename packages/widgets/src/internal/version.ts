/** Version of @tokentags/widgets, compared when two copies define the same tag. */
export const VERSION = '0.1.0'
