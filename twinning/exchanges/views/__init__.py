"""The exchange's pages, by audience: staff, the hosting committee, students (shared by
staff, the committee and the sending contact), the sending side, the host family."""
