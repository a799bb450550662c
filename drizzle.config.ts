import { defineConfig } from 'drizzle-kit'

// drizzle-kit generate reads the schema and writes SQL migrations; it never connects.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations'
})
