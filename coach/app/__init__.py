"""The application service (`CoachService`): every use case, for every client. Import its parts
where they are used (`coach.app.service`, `coach.app.memory`, ...): this package's face stays
empty so that importing a light part never loads the engine."""
