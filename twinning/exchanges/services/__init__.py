"""The exchange's services, one module per part: students (seasons, places, the sending
side), families (host families and their screening), staff (schools and coordinators)."""
