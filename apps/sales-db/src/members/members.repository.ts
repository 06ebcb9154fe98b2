import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Sql } from '../database/sql';
import { MemberRecord } from './members-csv';

export class MemberView {
  @ApiProperty({ example: 24 })
  id!: number;

  @ApiProperty({ example: 'Smith_af3c0' })
  membershipId!: string;

  @ApiProperty({ example: 'Henry' })
  firstName!: string;

  @ApiProperty({ example: 'Smith' })
  lastName!: string;

  @ApiProperty({ example: 'henry.smith@example.com' })
  email!: string;

  @ApiProperty({ example: '1984-03-09' })
  dateOfBirth!: string;

  @ApiProperty({ example: '91234567' })
  mobileNo!: string;

  @ApiProperty({ example: 8331.91 })
  totalSpent!: number;

  @ApiProperty({ example: 18 })
  transactionCount!: number;

  @ApiProperty({
    type: [Number],
    example: [],
    description: 'Other people with the same membership id',
  })
  sharesMembershipIdWith!: number[];
}

export interface UpsertResult {
  inserted: number;
  unchanged: number;
  /** Rows naming an existing person (same membership id and email) with other details. */
  differing: { file: string; line: number; memberId: number }[];
}

@Injectable()
export class MembersRepository {
  async find(sql: Sql, where: { id: number } | { membershipId: string }): Promise<MemberView[]> {
    const byId = 'id' in where;
    return sql<MemberView>(
      `SELECT m.id, m.membership_id AS "membershipId", m.first_name AS "firstName",
              m.last_name AS "lastName", m.email, to_char(m.date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth",
              m.mobile_no AS "mobileNo", coalesce(s.total_spent, 0)::float8 AS "totalSpent",
              coalesce(s.transaction_count, 0) AS "transactionCount",
              array(SELECT o.id FROM sales.members o
                     WHERE o.membership_id = m.membership_id AND o.id <> m.id ORDER BY o.id)
                AS "sharesMembershipIdWith"
         FROM sales.members m LEFT JOIN sales.member_spending s ON s.member_id = m.id
        WHERE ${byId ? 'm.id = $1' : 'm.membership_id = $1'}
        ORDER BY m.id`,
      [byId ? where.id : where.membershipId],
    );
  }

  /**
   * Inserts people not seen before; a person is (membership id, email). Existing people are never
   * overwritten: identical rows count as unchanged, others are returned as differing.
   */
  async upsert(sql: Sql, rows: MemberRecord[]): Promise<UpsertResult> {
    const column = <K extends keyof MemberRecord>(key: K) => rows.map((row) => row[key]);
    const [result] = await sql<UpsertResult>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[],
                              $7::bool[], $8::text[], $9::int[])
           AS r(membership_id, first_name, last_name, email, date_of_birth, mobile_no, above_18,
                source_file, source_line)
       ), existing AS (
         SELECT i.source_file, i.source_line, m.id,
                (m.first_name, m.last_name, m.date_of_birth, m.mobile_no)
                  IS NOT DISTINCT FROM (i.first_name, i.last_name, i.date_of_birth, i.mobile_no) AS same
           FROM input i JOIN sales.members m USING (membership_id, email)
       ), inserted AS (
         INSERT INTO sales.members (membership_id, first_name, last_name, email, date_of_birth,
                                    mobile_no, above_18, source_file, source_line)
         SELECT membership_id, first_name, last_name, email, date_of_birth, mobile_no, above_18,
                source_file, source_line
           FROM input
         ON CONFLICT (membership_id, email) DO NOTHING
         RETURNING id
       )
       SELECT (SELECT count(*) FROM inserted)::int AS inserted,
              (SELECT count(*) FROM existing WHERE same)::int AS unchanged,
              coalesce((SELECT json_agg(json_build_object('file', source_file, 'line', source_line,
                                                          'memberId', id) ORDER BY source_line)
                          FROM existing WHERE NOT same), '[]') AS differing`,
      [
        column('membershipId'),
        column('firstName'),
        column('lastName'),
        column('email'),
        column('dateOfBirth'),
        column('mobileNo'),
        column('above18'),
        column('sourceFile'),
        column('sourceLine'),
      ],
    );
    return result;
  }

  /** Membership ids among `membershipIds` held by more than one person. */
  async sharedMembershipIds(
    sql: Sql,
    membershipIds: string[],
  ): Promise<{ membershipId: string; memberIds: number[] }[]> {
    return sql(
      `SELECT membership_id AS "membershipId", array_agg(id ORDER BY id) AS "memberIds"
         FROM sales.members WHERE membership_id = ANY($1::text[])
        GROUP BY membership_id HAVING count(*) > 1 ORDER BY membership_id`,
      [membershipIds],
    );
  }
}
