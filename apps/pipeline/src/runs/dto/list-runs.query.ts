import { PageQuery } from '@des/shared';

/** `GET /runs` paging, newest run first. */
export class ListRunsQuery extends PageQuery(20, 100) {}
