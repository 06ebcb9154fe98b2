/**
 * The apps `npm start` runs, their default ports and the variable that overrides each port. A new
 * app is one more entry here (next port, `<APP>_PORT`) and a devDependency of this package.
 */
export interface StackApp {
  name: string;
  defaultPort: number;
  portVariable: string;
  /** Whether the app publishes OpenAPI docs at /docs. */
  apiDocs: boolean;
  /** The first page worth opening. */
  home: string;
  /** What a newcomer must know before calling it, printed beside its URL. */
  note?: string;
}

export const STACK_APPS: StackApp[] = [
  {
    name: 'pipeline',
    defaultPort: 3001,
    portVariable: 'PIPELINE_PORT',
    apiDocs: true,
    home: '/runs',
  },
  {
    name: 'sales-db',
    defaultPort: 3002,
    portVariable: 'SALES_DB_PORT',
    apiDocs: true,
    home: '/docs',
    note: 'calls need a team login (HTTP Basic; demo logins below)',
  },
  {
    name: 'dashboard',
    defaultPort: 3003,
    portVariable: 'DASHBOARD_PORT',
    apiDocs: true,
    home: '/',
  },
  {
    name: 'banner-api',
    defaultPort: 3004,
    portVariable: 'BANNER_API_PORT',
    apiDocs: true,
    home: '/campaigns/1',
  },
  { name: 'ml', defaultPort: 3005, portVariable: 'ML_PORT', apiDocs: true, home: '/model' },
];
