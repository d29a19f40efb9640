/** The baseline's one durable write: one row per turn in its own table. */
import pg from 'pg';

export const BASELINE_TABLE = 'bench_baseline_turns';

export function baselineActivities(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  return {
    pool,
    activities: {
      async insertTurnRow(text: string): Promise<void> {
        await pool.query(`insert into ${BASELINE_TABLE} (text) values ($1)`, [text]);
      },
    },
  };
}
export type BaselineActivities = ReturnType<typeof baselineActivities>['activities'];
