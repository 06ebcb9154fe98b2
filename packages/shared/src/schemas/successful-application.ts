/**
 * Columns of the pipeline's successful output (`successful/applications_<runId>.csv`), which the
 * sales database imports as members: the contract between the two apps.
 */
export const SUCCESSFUL_APPLICATION_COLUMNS = [
  'first_name',
  'last_name',
  'email',
  'date_of_birth',
  'mobile_no',
  'above_18',
  'membership_id',
] as const;
