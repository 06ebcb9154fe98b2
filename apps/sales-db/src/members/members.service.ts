import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { SalesUser } from '../auth/teams';
import { RequestDatabase } from '../database/request-database';
import { MembersRepository, MemberView } from './members.repository';

@Injectable()
export class MembersService {
  constructor(
    private readonly database: RequestDatabase,
    private readonly members: MembersRepository,
  ) {}

  /**
   * `id` is the member's surrogate id, or a membership id. A membership id shared by different
   * people is answered 409 with their member ids rather than picking one of them.
   */
  async get(user: SalesUser, id: string): Promise<MemberView> {
    const where = /^\d{1,9}$/.test(id) ? { id: Number(id) } : { membershipId: id };
    const found = await this.database.asUser(user, 'read members', (sql) =>
      this.members.find(sql, where),
    );
    if (found.length === 0) throw new NotFoundException(`Member ${id} not found`);
    if (found.length > 1) {
      throw new ConflictException({
        message: `Membership id ${id} is shared by ${found.length} different people; ask by member id`,
        memberIds: found.map((member) => member.id),
      });
    }
    return found[0];
  }
}
